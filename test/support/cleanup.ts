import type { TestContext } from 'vitest';

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
    t.onTestFinished(async () => {
      // A step that fails (a job that would not stop) must not skip the ones before it (an unmount, a folder).
      const failures: unknown[] = [];
      while (created.length) {
        try {
          await created.pop()!();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length) throw failures[0];
    });
  }
  stack.push(work);
}
