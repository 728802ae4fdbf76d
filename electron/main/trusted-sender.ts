import { pathToFileURL } from 'node:url';

/** The part of an IPC event the sender check reads; Electron's `IpcMainInvokeEvent` fits it. */
export interface SenderEventLike {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** Tells whether an IPC message comes from the app's own renderer document. */
export type TrustedSenderCheck = (event: SenderEventLike) => boolean;

export interface TrustedSenderOptions {
  /** Absolute path of the renderer's `index.html`, as given to `loadFile`. */
  rendererIndexPath: string;
  /** Windows file systems ignore case, and Chromium may spell the drive letter differently. */
  caseInsensitive?: boolean;
}

/**
 * Builds the sender check for `registerContract`.
 *
 * Only the top frame showing our own `index.html` may call the engine: a
 * sub-frame, a page reached by some navigation, or a frame already gone (null)
 * is refused. Hash and query are ignored because the renderer may route with them.
 */
export function createTrustedSenderCheck(options: TrustedSenderOptions): TrustedSenderCheck {
  const expected = pathToFileURL(options.rendererIndexPath).href;
  const caseInsensitive = options.caseInsensitive ?? process.platform === 'win32';
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    return isSameDocumentUrl(frame.url, expected, caseInsensitive);
  };
}

/** Compares two `file:` URLs by document, ignoring hash and query. */
export function isSameDocumentUrl(actual: string, expected: string, caseInsensitive = false): boolean {
  const left = parseFileUrl(actual);
  const right = parseFileUrl(expected);
  if (left === null || right === null) return false;
  // A file URL with a host (file://server/share) names another machine's file.
  if (left.host !== right.host) return false;
  const normalise = (pathname: string): string => {
    const decoded = safeDecode(pathname);
    return caseInsensitive ? decoded.toLowerCase() : decoded;
  };
  return normalise(left.pathname) === normalise(right.pathname);
}

function parseFileUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'file:' ? url : null;
  } catch {
    return null;
  }
}

// Chromium and Node may percent-encode a Vietnamese user folder differently.
function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
