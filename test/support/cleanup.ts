import type { TestContext } from 'node:test';

const stacks = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Run `work` when the test ends, last registered first (like `defer`), so a job started in a temporary folder is
 * stopped before that folder is removed.
 */
export function defer(t: TestContext, work: () => unknown): void {
  let stack = stacks.get(t);
  if (!stack) {
    const created: (() => unknown)[] = [];
    stack = created;
    stacks.set(t, created);
    t.after(async () => {
      while (created.length) await created.pop()!();
    });
  }
  stack.push(work);
}
