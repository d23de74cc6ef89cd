/**
 * A plugin must not outlive its host, even when the host is SIGKILLed and cannot send
 * Shutdown. When the parent dies the plugin is re-parented, so its ppid changes.
 */
const CHECK_EVERY_MS = 250;

export function exitWhenParentDies(onOrphaned: () => void): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) onOrphaned();
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
