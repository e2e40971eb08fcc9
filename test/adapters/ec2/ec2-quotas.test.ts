import { asLedgerId } from '../../../src/backend/job-id.js';
import {
  AccessDeniedException,
  GetServiceQuotaCommand,
  type GetServiceQuotaCommandInput,
  type GetServiceQuotaCommandOutput,
  NoSuchResourceException,
} from '@aws-sdk/client-service-quotas';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { checkEc2 } from '../../../adapters/ec2/ec2-check.js';
import { quotasSdk } from '../../../adapters/ec2/ec2-sdk.js';
import type { CheckItem } from '../../../src/backend/training-backend.js';
import { defer } from '../../support/cleanup.js';
import { ec2Env } from '../../support/ec2-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { motoForThisFile } from '../../standins/moto-server.js';

/**
 * `dlrun check --backend ec2` reads the account's on-demand GPU vCPU quotas from Service Quotas. moto 5.2.1 knows only
 * the `vpc` service's defaults there (an EC2 quota code answers NoSuchResourceException), so Service Quotas is a client
 * mock here, on the very class the adapter loads; everything else check asks (STS, the DryRun launch) goes to moto.
 */

const motoFor = motoForThisFile();

/** Not moto's default region, so the region each quota is read in is the checked one, not a default. */
const REGION = 'eu-central-1';
const G = 'L-DB2E81BA';
const P = 'L-417A185B';

interface Asked {
  readonly input: GetServiceQuotaCommandInput;
  readonly region: string;
  readonly endpoint: string;
  readonly accessKeyId: string;
}

/**
 * check run in this process against moto, with Service Quotas answering `answer` for each quota code; what it asked
 * (input, and the region, endpoint and keys of the client that asked) and its quota items.
 */
async function checkWithQuotas(
  t: TestContext,
  answer: (code: string) => Omit<GetServiceQuotaCommandOutput, '$metadata'> | Error,
): Promise<{ asked: Asked[]; calls: number; items: CheckItem[] } | undefined> {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const quotas = mockClient(quotasSdk().ServiceQuotasClient);
  defer(t, () => quotas.restore());
  const asked: Asked[] = [];
  quotas.on(GetServiceQuotaCommand).callsFake(async (input: GetServiceQuotaCommandInput, getClient) => {
    const client = getClient();
    const endpoint = await client.config.endpoint!();
    asked.push({
      input,
      region: await client.config.region(),
      endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      accessKeyId: (await client.config.credentials()).accessKeyId,
    });
    const answered = answer(input.QuotaCode ?? '');
    if (answered instanceof Error) throw answered;
    return { ...answered, $metadata: { httpStatusCode: 200 } };
  });
  const env: Record<string, string> = { ...ec2Env(moto.endpoint), AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION };
  const items = await checkEc2({ ledgerId: asLedgerId('quotas-ledger'), home: tempDir(t), env });
  assert.deepEqual(
    items.filter((item) => !/vCPU quota/.test(item.check)).map((item) => [item.check, item.ok]),
    [
      ['region', true],
      ['credentials', true],
      ['launch permission', true],
    ],
    "moto answered the rest of the check: the quotas are check's last items",
  );
  const endpoint = new URL(moto.endpoint);
  for (const each of asked) {
    assert.equal(each.region, REGION, 'the quota of the region checked');
    assert.equal(
      each.endpoint,
      `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      "the context's endpoint",
    );
    assert.equal(each.accessKeyId, env.AWS_ACCESS_KEY_ID, "the context's keys");
  }
  return { asked, calls: quotas.calls().length, items: items.filter((item) => /vCPU quota/.test(item.check)) };
}

const quota = (code: string, value?: number): Omit<GetServiceQuotaCommandOutput, '$metadata'> => ({
  Quota: {
    ServiceCode: 'ec2',
    QuotaCode: code,
    QuotaName: code === G ? 'Running On-Demand G and VT instances' : 'Running On-Demand P instances',
    Unit: 'None',
    ...(value === undefined ? {} : { Value: value }),
  },
});

test(
  'check asks Service Quotas for exactly two quotas, in this order: EC2 on-demand G and VT vCPUs (L-DB2E81BA) ' +
    'and P vCPUs (L-417A185B), with the region, endpoint and keys of the check',
  async (t) => {
    const checked = await checkWithQuotas(t, (code) => quota(code, 64));
    if (!checked) return;
    assert.deepEqual(
      checked.asked.map((each) => each.input),
      [
        { ServiceCode: 'ec2', QuotaCode: G },
        { ServiceCode: 'ec2', QuotaCode: P },
      ],
    );
    assert.equal(checked.calls, 2, 'no other Service Quotas request (no listing, no default-quota look-up)');
    assert.deepEqual(checked.items, [
      { check: 'G and VT vCPU quota', ok: true, detail: '64 vCPUs of on-demand G and VT instances', required: false },
      { check: 'P vCPU quota', ok: true, detail: '64 vCPUs of on-demand P instances', required: false },
    ]);
  },
);

test('a quota of zero is a note naming the quota code to raise; so is a quota answered without a value', async (t) => {
  const checked = await checkWithQuotas(t, (code) => (code === G ? quota(code, 0) : quota(code)));
  if (!checked) return;
  assert.deepEqual(checked.items, [
    {
      check: 'G and VT vCPU quota',
      ok: false,
      detail: '0 vCPUs: G and VT instances cannot launch until AWS raises it (Service Quotas console, L-DB2E81BA)',
      required: false,
    },
    {
      check: 'P vCPU quota',
      ok: false,
      detail: '0 vCPUs: P instances cannot launch until AWS raises it (Service Quotas console, L-417A185B)',
      required: false,
    },
  ]);
});

test(
  'a quota above zero but below the vCPUs of the smallest instance of its families launches nothing: not ok, ' +
    'with the figure, the smallest instance and how to raise it; at that size it is ok',
  async (t) => {
    const low = await checkWithQuotas(t, (code) => quota(code, code === G ? 2 : 4));
    if (!low) return;
    assert.deepEqual(
      low.items.map((item) => [item.ok, item.detail, item.required]),
      [
        [
          false,
          '2 vCPUs of on-demand G and VT instances, fewer than the 4 of the smallest (g4dn.xlarge): none can launch ' +
            'until AWS raises it (Service Quotas console, L-DB2E81BA)',
          false,
        ],
        [
          false,
          '4 vCPUs of on-demand P instances, fewer than the 16 of the smallest (p5.4xlarge): none can launch ' +
            'until AWS raises it (Service Quotas console, L-417A185B)',
          false,
        ],
      ],
    );
    const exact = await checkWithQuotas(t, (code) => quota(code, code === G ? 4 : 16));
    assert.deepEqual(
      exact?.items.map((item) => item.ok),
      [true, true],
    );
  },
);

test(
  'a quota Service Quotas has no figure for (NoSuchResourceException, as moto answers for EC2) or that the keys ' +
    'may not read (AccessDeniedException) is a note saying why, never a failure of the backend',
  async (t) => {
    const checked = await checkWithQuotas(t, (code) =>
      code === G
        ? new NoSuchResourceException({
            message: 'The request failed because the specified resource does not exist.',
            $metadata: { httpStatusCode: 400 },
          })
        : new AccessDeniedException({
            message: 'You do not have sufficient access to perform this action.',
            $metadata: { httpStatusCode: 400 },
          }),
    );
    if (!checked) return;
    assert.equal(checked.calls, 2, 'the second quota is still asked after the first failed');
    assert.deepEqual(checked.items, [
      {
        check: 'G and VT vCPU quota',
        ok: false,
        detail: 'not readable here (NoSuchResourceException); a launch will say if it is too small',
        required: false,
      },
      {
        check: 'P vCPU quota',
        ok: false,
        detail: 'not readable here (AccessDeniedException); a launch will say if it is too small',
        required: false,
      },
    ]);
  },
);
