import { ConfigError } from './config.js';
import { DataFolderBusyError, DataFolderLockError } from './db/data-folder-lock.js';

/**
 * Runs a command's main function: its return value is the exit code. Any error exits 1 with its
 * French message and no stack trace: settings and data-folder errors are whole sentences; the
 * others follow what failed (« Sauvegarde impossible : … »).
 */
export function runCommand(what: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const whole = [ConfigError, DataFolderBusyError, DataFolderLockError].some((k) => err instanceof k);
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(whole ? `${message}\n` : `${what} : ${message}\n`);
      process.exit(1);
    },
  );
}
