import type * as vscode from 'vscode';

/**
 * Waits for one quick-input step. `listen` subscribes to the input's events and shows it; the
 * first call of `finish` settles the step and disposes every subscription. `settled()` tells an
 * async handler that the step ended while it was waiting (hidden, Back, …).
 */
export function runStep<T>(listen: (finish: (outcome: T) => void, settled: () => boolean) => vscode.Disposable[]): Promise<T> {
  return new Promise<T>((resolve) => {
    let done = false;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (outcome: T) => {
      if (done) return;
      done = true;
      for (const d of subscriptions.splice(0)) d.dispose();
      resolve(outcome);
    };
    subscriptions.push(...listen(finish, () => done));
    // A step that finished while it was being set up still lets go of its listeners.
    if (done) for (const d of subscriptions.splice(0)) d.dispose();
  });
}
