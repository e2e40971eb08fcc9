// pullVertexOutputs against the Cloud Storage stand-in: node 0's outputs.tar.gz as a machine could upload it, honest
// or not.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { type TestContext, test } from 'vitest';
import { encodeVertexDetails, jobObjects } from '../../../adapters/vertex/vertex-details.js';
import { pullVertexOutputs } from '../../../adapters/vertex/vertex-outputs.js';
import { DlrunError } from '../../../src/base/errors.js';
import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import type { BackendContext, JobHandle } from '../../../src/backend/training-backend.js';
import { gcsServerFor } from '../../standins/gcs-server.js';
import { rejection } from '../../support/rejection.js';
import { tempDir } from '../../support/temp-dir.js';

const LEDGER = asLedgerId('vertex-outputs-ledger');
const TOKEN = 'ya29.outputs';
const BUCKET = 'staging';
const DETAILS = {
  region: 'us-central1',
  project: 'p',
  bucket: BUCKET,
  prefix: '',
  workdirObject: null,
  nodes: 1,
  stopAfter: { seconds: null, reason: null },
  secrets: false,
};

/** One entry of a crafted archive: a file, a folder, a symlink, a hard link or a FIFO, under any name at all. */
type Entry =
  | { readonly file: string; readonly text: string }
  | { readonly folder: string }
  | { readonly symlink: string; readonly to: string }
  | { readonly hardlink: string; readonly to: string }
  | { readonly fifo: string };

/** A tar.gz with exactly these entries, in this order (python's tarfile writes what GNU tar would refuse to). */
function craftedArchive(entries: readonly Entry[]): Buffer {
  const script = `
import io, json, sys, tarfile
out = io.BytesIO()
with tarfile.open(fileobj=out, mode="w:gz") as archive:
    for entry in json.loads(sys.argv[1]):
        if "file" in entry:
            data = entry["text"].encode()
            info = tarfile.TarInfo(entry["file"]); info.size = len(data)
            archive.addfile(info, io.BytesIO(data)); continue
        if "folder" in entry:
            info = tarfile.TarInfo(entry["folder"]); info.type = tarfile.DIRTYPE; info.mode = 0o755
        elif "symlink" in entry:
            info = tarfile.TarInfo(entry["symlink"]); info.type = tarfile.SYMTYPE; info.linkname = entry["to"]
        elif "hardlink" in entry:
            info = tarfile.TarInfo(entry["hardlink"]); info.type = tarfile.LNKTYPE; info.linkname = entry["to"]
        else:
            info = tarfile.TarInfo(entry["fifo"]); info.type = tarfile.FIFOTYPE
        archive.addfile(info)
sys.stdout.buffer.write(out.getvalue())
`;
  return execFileSync('python3', ['-c', script, JSON.stringify(entries)]);
}

async function setUp(t: TestContext, jobId: string) {
  const gcs = await gcsServerFor(t, { requireToken: TOKEN });
  gcs.createBucket(BUCKET);
  const context: BackendContext = {
    ledgerId: LEDGER,
    home: tempDir(t),
    env: { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, DLRUN_GCS_URL: gcs.endpoint },
  };
  const id = asJobId(jobId);
  const handle: JobHandle = { jobId: id, backend: 'vertex', externalId: null, details: encodeVertexDetails(DETAILS) };
  const objects = jobObjects(DETAILS, LEDGER, id);
  const destination = path.join(tempDir(t), 'out');
  mkdirSync(destination);
  return {
    gcs,
    destination,
    objects,
    stage: (archive: Buffer) => gcs.putObject(BUCKET, objects.outputs, archive),
    pull: (into = destination) => pullVertexOutputs(handle, into, context),
  };
}

test('nested folders and files arrive as they were, counted', async (t) => {
  const job = await setUp(t, 'outputs-ok-20261206-0001-abcd');
  job.stage(
    craftedArchive([
      { folder: './' },
      { file: './model.bin', text: 'weights' },
      { folder: './eval/' },
      { folder: './eval/deep/' },
      { file: './eval/deep/metrics.json', text: '{"acc": 0.9}' },
    ]),
  );
  const pulled = await job.pull();
  assert.deepEqual(pulled, { files: 2, bytes: 7 + 12 });
  assert.equal(readFileSync(path.join(job.destination, 'model.bin'), 'utf8'), 'weights');
  assert.equal(readFileSync(path.join(job.destination, 'eval', 'deep', 'metrics.json'), 'utf8'), '{"acc": 0.9}');
  // Streamed: one download of the whole object.
  const reads = job.gcs.requests({ method: 'GET' }).filter((request) => request.query.alt === 'media');
  assert.equal(reads.length, 1);
});

test('entries that would land outside DIR, or go through a link, are refused and named', async (t) => {
  const job = await setUp(t, 'outputs-escape-20261206-0002-abcd');
  const victim = tempDir(t);
  const outside = path.relative(job.destination, victim);
  job.stage(
    craftedArchive([
      { file: '../up-one.txt', text: 'x' },
      { file: `${outside}/planted-by-path`, text: 'x' },
      { symlink: 'escape', to: outside },
      { file: 'escape/planted', text: 'x' },
      { symlink: 'absolute', to: victim },
      { file: 'absolute/planted', text: 'x' },
      { hardlink: 'hard', to: path.join(victim, 'nothing') },
      { fifo: 'pipe' },
      { file: 'model.txt', text: 'weights\n' },
    ]),
  );
  const pulled = await job.pull();
  assert.deepEqual(readdirSync(victim), [], 'nothing planted outside');
  assert.equal(readFileSync(path.join(job.destination, 'model.txt'), 'utf8'), 'weights\n');
  const skipped = pulled.skipped ?? [];
  for (const name of ['../up-one.txt', 'escape', 'absolute', 'pipe'])
    assert.ok(
      skipped.some((note) => note.startsWith(`${name} (`)),
      `${name} is named in ${JSON.stringify(skipped)}`,
    );
  // Whatever was written in DIR is a plain file or folder: no link out of it.
  for (const name of readdirSync(job.destination, { recursive: true }) as string[])
    assert.ok(!lstatSync(path.join(job.destination, name)).isSymbolicLink(), `${name} is a link`);
});

test('a link already in DIR where the archive has a folder: refused before anything is written', async (t) => {
  const job = await setUp(t, 'outputs-link-20261206-0003-abcd');
  const victim = tempDir(t);
  symlinkSync(victim, path.join(job.destination, 'eval'));
  job.stage(craftedArchive([{ folder: 'eval/' }, { file: 'eval/metrics.json', text: '{}' }]));
  const error = await rejection(job.pull());
  assert.match(error.message, /out\/eval is a link .*dlrun does not write through links/);
  assert.deepEqual(readdirSync(victim), []);
});

test('no outputs object: a clear error, which says how the job ended when it has', async (t) => {
  const job = await setUp(t, 'outputs-none-20261206-0004-abcd');
  const early = await rejection(job.pull());
  assert.ok(early instanceof DlrunError);
  assert.match(early.message, /^job outputs-none-20261206-0004-abcd has uploaded no outputs yet \(gs:\/\/staging\//);
  assert.match(early.hint ?? '', /when the job ends/);
  assert.deepEqual(readdirSync(job.destination), []);

  job.gcs.putObject(BUCKET, job.objects.result, 'state=failed\nexit_code=1\nreason=could not unpack the workdir\n');
  const ended = await rejection(job.pull());
  assert.match(
    ended.message,
    /^job outputs-none-20261206-0004-abcd ended \(failed: could not unpack the workdir\) without uploading outputs/,
  );
  assert.match((ended as DlrunError).hint ?? '', /dlrun logs/);
});
