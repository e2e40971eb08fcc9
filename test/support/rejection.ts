import assert from 'node:assert/strict';

/** The error a promise rejects with, for assertions on its fields; fails the test when it fulfils. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected an error');
}
