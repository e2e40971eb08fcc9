import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'vitest';
import { defer } from '../support/cleanup.js';
import { freePort } from './moto-process.js';
import { MOTO_MISSING_IN_CI, skipOrFailWithoutMoto, startMoto } from './moto-server.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('without moto_server: a failure under CI, a skip with the reason elsewhere', () => {
  const skipped: (string | undefined)[] = [];
  const context = { skip: (reason?: string) => void skipped.push(reason) };
  assert.throws(() => skipOrFailWithoutMoto(context, false, true), { message: MOTO_MISSING_IN_CI });
  assert.deepEqual(skipped, []);
  assert.equal(skipOrFailWithoutMoto(context, false, false), false);
  assert.match(skipped[0] ?? '', /moto_server is not installed.*pip install.*CI=true/);
  assert.equal(skipOrFailWithoutMoto(context, true, true), true);
});

test('stop ends the moto process and can be called again', async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const moto = await startMoto();
  defer(t, () => moto.stop());
  assert.ok(alive(moto.pid));
  await moto.stop();
  assert.equal(alive(moto.pid), false);
  await moto.stop();
});

test('a port taken between choosing it and moto binding it: moto is started again on another', async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const squatter = net.createServer();
  squatter.listen(0, '127.0.0.1');
  await once(squatter, 'listening');
  defer(t, () => new Promise((resolve) => squatter.close(resolve)));
  const taken = (squatter.address() as net.AddressInfo).port;
  const offered: number[] = [];
  const moto = await startMoto({
    choosePort: async () => {
      const port = offered.length === 0 ? taken : await freePort();
      offered.push(port);
      return port;
    },
  });
  defer(t, () => moto.stop());
  assert.equal(offered.length, 2);
  assert.equal(moto.endpoint, `http://127.0.0.1:${offered[1]}`);
  assert.equal((await fetch(`${moto.endpoint}/moto-api/data.json`)).status, 200);
});
