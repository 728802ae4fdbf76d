/** The part of an IPC event the sender check reads; Electron's `IpcMainInvokeEvent` fits it. */
export interface SenderEventLike {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** Tells whether an IPC message comes from the app's own renderer document. */
export type TrustedSenderCheck = (event: SenderEventLike) => boolean;

export interface TrustedSenderOptions {
  /** The URL the window loads, e.g. `app://station/index.html`. */
  rendererUrl: string;
}

/**
 * Builds the sender check for `registerContract`.
 *
 * Only the top frame showing our own `index.html` may call the engine: a
 * sub-frame, a page reached by some navigation, a local file, or a frame already
 * gone (null) is refused. Hash and query are ignored because the renderer may
 * route with them.
 */
export function createTrustedSenderCheck(options: TrustedSenderOptions): TrustedSenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    return isSameDocumentUrl(frame.url, options.rendererUrl);
  };
}

/** Compares two URLs by scheme, host and (decoded) path, ignoring hash and query. */
export function isSameDocumentUrl(actual: string, expected: string): boolean {
  const left = parseUrl(actual);
  const right = parseUrl(expected);
  if (left === null || right === null) return false;
  return (
    left.protocol === right.protocol &&
    left.host === right.host &&
    safeDecode(left.pathname) === safeDecode(right.pathname)
  );
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
