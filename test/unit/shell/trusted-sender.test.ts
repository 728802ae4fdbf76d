import { describe, expect, it } from 'vitest';
import { createTrustedSenderCheck, isSameDocumentUrl } from '../../../electron/main/trusted-sender.js';

describe('isSameDocumentUrl', () => {
  const app = 'file:///C:/Program%20Files/SoHoa%20Station/resources/app.asar/dist/renderer/index.html';

  it('ignores hash and query', () => {
    expect(isSameDocumentUrl(`${app}?x=1#/queue`, app)).toBe(true);
  });

  it('compares percent-encoded and plain Vietnamese folder names as the same path', () => {
    expect(isSameDocumentUrl('file:///home/Nguy%E1%BB%85n/app/index.html', 'file:///home/Nguyễn/app/index.html')).toBe(
      true,
    );
  });

  it('ignores case only when asked (Windows)', () => {
    const lower = app.replace('C:', 'c:').toLowerCase();
    expect(isSameDocumentUrl(lower, app, true)).toBe(true);
    expect(isSameDocumentUrl(lower, app, false)).toBe(false);
  });

  it('refuses non-file URLs and garbage', () => {
    expect(isSameDocumentUrl('http://127.0.0.1:5173/dist/renderer/index.html', app)).toBe(false);
    expect(isSameDocumentUrl('not a url', app)).toBe(false);
  });

  it('refuses a sibling file in the same folder', () => {
    expect(isSameDocumentUrl(app.replace('index.html', 'evil.html'), app)).toBe(false);
  });
});

describe('createTrustedSenderCheck', () => {
  const check = createTrustedSenderCheck({
    rendererIndexPath: '/opt/app/dist/renderer/index.html',
    caseInsensitive: false,
  });

  it('trusts the top frame showing the renderer', () => {
    expect(check({ senderFrame: { url: 'file:///opt/app/dist/renderer/index.html', parent: null } })).toBe(true);
  });

  it('distrusts a sub-frame even at the same URL', () => {
    const top = { url: 'file:///opt/app/dist/renderer/index.html', parent: null };
    expect(check({ senderFrame: { url: top.url, parent: top } })).toBe(false);
  });
});
