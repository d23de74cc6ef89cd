/**
 * The daemon's signals: SIGHUP reloads the config and conf.d; SIGTERM and SIGINT stop
 * gracefully. Returns a disposer so the handlers never outlive the daemon.
 */
export interface SignalHandlers {
  reload(): void;
  stop(signal: NodeJS.Signals): void;
}

export function installSignalHandlers(handlers: SignalHandlers): () => void {
  const onHup = () => handlers.reload();
  const onStop = (signal: NodeJS.Signals) => handlers.stop(signal);
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  return () => {
    process.off('SIGHUP', onHup);
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
  };
}
