import { type AwsRequest, ec2ErrorXml, XML_DECLARATION } from './aws-requests.js';

/** An answer the stand-in gives itself, in EC2's XML layout. */
export interface LocalAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One placement group as EC2 reports it. */
export interface PlacementGroup {
  readonly groupName: string;
  readonly groupId: string;
  readonly strategy: string;
  readonly tags: ReadonlyMap<string, string>;
}

/**
 * EC2 placement groups, which moto 5.2.1 does not implement at all (CreatePlacementGroup and DescribePlacementGroups
 * answer 500 NotImplementedError, and RunInstances drops Placement.GroupName): Create, Describe (group-name,
 * strategy and tag filters) and Delete are answered here, a launch into a group that does not exist is refused with
 * EC2's InvalidPlacementGroup.Unknown, and which group each launched instance was placed in is remembered.
 * Not modelled: DeletePlacementGroup's InvalidPlacementGroup.InUse while an instance in the group is not terminated.
 */
export interface PlacementGroupStandIn {
  /** The answer to a placement-group call, or to a launch into an unknown group; undefined for everything else. */
  answer(request: AwsRequest, body: Buffer, requestId: string): LocalAnswer | undefined;
  /** Remember the group a RunInstances request named for the instances moto's answer lists. */
  observeLaunch(request: AwsRequest, body: Buffer, answer: Buffer): void;
  groups(): readonly PlacementGroup[];
  /** The group the instance was launched into, if any. */
  groupOf(instanceId: string): string | undefined;
}

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function placementGroupStandIn(): PlacementGroupStandIn {
  const groups = new Map<string, PlacementGroup>();
  const placed = new Map<string, string>();
  let sequence = 0;
  return {
    answer(request, body, requestId) {
      const params = new URLSearchParams(body.toString('utf8'));
      const ok = (action: string, inner: string): LocalAnswer => ({
        status: 200,
        contentType: 'text/xml;charset=UTF-8',
        body:
          `${XML_DECLARATION}<${action}Response xmlns="${NAMESPACE}">` +
          `<requestId>${requestId}</requestId>${inner}</${action}Response>`,
      });
      const fail = (code: string, message: string): LocalAnswer => ({
        status: 400,
        contentType: 'text/xml;charset=UTF-8',
        body: ec2ErrorXml(code, escapeXml(message), requestId),
      });
      switch (request.action) {
        case 'CreatePlacementGroup': {
          const name = params.get('GroupName') ?? '';
          if (groups.has(name))
            return fail('InvalidPlacementGroup.Duplicate', `The Placement Group '${name}' already exists.`);
          const group: PlacementGroup = {
            groupName: name,
            groupId: `pg-${(++sequence).toString(16).padStart(17, '0')}`,
            strategy: params.get('Strategy') ?? 'cluster',
            tags: tagsOf(params),
          };
          groups.set(name, group);
          return ok('CreatePlacementGroup', `<return>true</return><placementGroup>${groupXml(group)}</placementGroup>`);
        }
        case 'DescribePlacementGroups': {
          const names = indexed(params, 'GroupName');
          const filters = filtersOf(params);
          const unknown = names.find((name) => !groups.has(name));
          if (unknown) return fail('InvalidPlacementGroup.Unknown', `The Placement Group '${unknown}' is unknown.`);
          const found = [...groups.values()].filter(
            (group) =>
              (names.length === 0 || names.includes(group.groupName)) &&
              filters.every((filter) => matchesFilter(group, filter)),
          );
          const items = found.map((group) => `<item>${groupXml(group)}</item>`).join('');
          return ok('DescribePlacementGroups', `<placementGroupSet>${items}</placementGroupSet>`);
        }
        case 'DeletePlacementGroup': {
          const name = params.get('GroupName') ?? '';
          if (!groups.delete(name))
            return fail('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);
          return ok('DeletePlacementGroup', '<return>true</return>');
        }
        case 'RunInstances': {
          const name = params.get('Placement.GroupName');
          if (name && !groups.has(name))
            return fail('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);
          return undefined;
        }
        default:
          return undefined;
      }
    },
    observeLaunch(request, body, answer) {
      if (request.action !== 'RunInstances') return;
      const name = new URLSearchParams(body.toString('utf8')).get('Placement.GroupName');
      if (!name) return;
      for (const match of answer.toString('utf8').matchAll(/<instanceId>([^<]+)<\/instanceId>/g))
        placed.set(match[1]!, name);
    },
    groups: () => [...groups.values()],
    groupOf: (instanceId) => placed.get(instanceId),
  };
}

/** `Prefix.1`, `Prefix.2`... of an EC2 query body. */
function indexed(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${prefix}.${index}`); index++) values.push(params.get(`${prefix}.${index}`)!);
  return values;
}

function tagsOf(params: URLSearchParams): Map<string, string> {
  const tags = new Map<string, string>();
  for (let spec = 1; params.has(`TagSpecification.${spec}.ResourceType`); spec++) {
    for (let tag = 1; params.has(`TagSpecification.${spec}.Tag.${tag}.Key`); tag++) {
      tags.set(
        params.get(`TagSpecification.${spec}.Tag.${tag}.Key`)!,
        params.get(`TagSpecification.${spec}.Tag.${tag}.Value`) ?? '',
      );
    }
  }
  return tags;
}

function filtersOf(params: URLSearchParams): { name: string; values: string[] }[] {
  const filters: { name: string; values: string[] }[] = [];
  for (let index = 1; params.has(`Filter.${index}.Name`); index++)
    filters.push({ name: params.get(`Filter.${index}.Name`)!, values: indexed(params, `Filter.${index}.Value`) });
  return filters;
}

function matchesFilter(group: PlacementGroup, filter: { name: string; values: string[] }): boolean {
  if (filter.name === 'group-name') return filter.values.includes(group.groupName);
  if (filter.name === 'strategy') return filter.values.includes(group.strategy);
  if (filter.name === 'state') return filter.values.includes('available');
  if (filter.name === 'tag-key') return filter.values.some((key) => group.tags.has(key));
  if (filter.name.startsWith('tag:')) return filter.values.includes(group.tags.get(filter.name.slice(4)) ?? '\u0000');
  throw new Error(`the placement group stand-in does not know the filter ${filter.name}`);
}

function groupXml(group: PlacementGroup): string {
  const tags = [...group.tags]
    .map(([key, value]) => `<item><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></item>`)
    .join('');
  const name = escapeXml(group.groupName);
  return [
    `<groupName>${name}</groupName>`,
    `<groupId>${group.groupId}</groupId>`,
    `<strategy>${group.strategy}</strategy>`,
    '<state>available</state>',
    `<groupArn>arn:aws:ec2:us-east-1:123456789012:placement-group/${name}</groupArn>`,
    `<tagSet>${tags}</tagSet>`,
  ].join('');
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
