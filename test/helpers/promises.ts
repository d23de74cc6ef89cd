/** Small assertions about promises, shared by backend tests. */

/**
 * True when `promise` has settled once pending callbacks and one event-loop turn have
 * run: it is not waiting on anything (no timer phase involved).
 */
export async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/** The error `promise` rejects with; fails when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  if (!error) throw new Error('expected a failure');
  return error;
}
