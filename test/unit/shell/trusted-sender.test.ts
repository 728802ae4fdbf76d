import { describe, expect, it } from 'vitest';
import { appIndexUrl } from '../../../electron/main/app-protocol.js';
import { createTrustedSenderCheck, isSameDocumentUrl } from '../../../electron/main/trusted-sender.js';

describe('isSameDocumentUrl', () => {
  it('ignores hash and query', () => {
    expect(isSameDocumentUrl(`${appIndexUrl}?x=1#/queue`, appIndexUrl)).toBe(true);
  });

  it('compares percent-encoded and plain paths as the same path', () => {
    expect(isSameDocumentUrl('app://station/Nguy%E1%BB%85n.html', 'app://station/Nguyễn.html')).toBe(true);
  });

  it('refuses another scheme, host or port serving the same path', () => {
    expect(isSameDocumentUrl('file:///index.html', appIndexUrl)).toBe(false);
    expect(isSameDocumentUrl('http://127.0.0.1:5173/index.html', appIndexUrl)).toBe(false);
    expect(isSameDocumentUrl('app://evil/index.html', appIndexUrl)).toBe(false);
    expect(isSameDocumentUrl('https://station/index.html', appIndexUrl)).toBe(false);
    expect(isSameDocumentUrl('not a url', appIndexUrl)).toBe(false);
  });

  it('refuses a sibling file in the same folder', () => {
    expect(isSameDocumentUrl('app://station/evil.html', appIndexUrl)).toBe(false);
  });
});

describe('createTrustedSenderCheck', () => {
  const check = createTrustedSenderCheck({ rendererUrl: appIndexUrl });

  it('trusts the top frame showing the renderer', () => {
    expect(check({ senderFrame: { url: appIndexUrl, parent: null } })).toBe(true);
  });

  it('distrusts a sub-frame even at the same URL, a frame gone, and a local file', () => {
    const top = { url: appIndexUrl, parent: null };
    expect(check({ senderFrame: { url: top.url, parent: top } })).toBe(false);
    expect(check({ senderFrame: null })).toBe(false);
    expect(check({ senderFrame: { url: 'file:///opt/app/dist/renderer/index.html', parent: null } })).toBe(false);
  });
});
