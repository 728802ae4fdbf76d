/** Strings of the desk as a whole: its screens, navigation and the shortcut help (Vietnamese first, English typed to match). */
export const deskVi = {
  'desk.screen.capture': 'Quét',
  'desk.screen.review': 'Kiểm tra',
  'desk.screen.index': 'Biên mục',
  'desk.screen.queue': 'Hàng đợi gửi',
  'desk.screen.search': 'Tìm kiếm',
  'desk.screen.settings': 'Cài đặt',
  'desk.help.open': 'Phím tắt (F1)',
  'desk.help.title': 'Phím tắt',
  'desk.help.close': 'Đóng',
  'desk.help.global': 'Mọi màn hình',
  'desk.help.note':
    'Khi đang gõ trong ô nhập (Telex, VNI), các phím chữ và số chỉ là chữ; chỉ các phím F, Esc và tổ hợp Ctrl/Alt có tác dụng.',
  'desk.shortcut.screen': 'Chuyển sang màn hình {name}',
  'desk.shortcut.help': 'Mở hoặc đóng bảng phím tắt',
  'desk.noDocument': 'Chưa mở tài liệu nào. Chọn một tài liệu ở màn hình Quét, Hàng đợi gửi hoặc Tìm kiếm.',
} as const;

export const deskEn: Record<keyof typeof deskVi, string> = {
  'desk.screen.capture': 'Scan',
  'desk.screen.review': 'Review',
  'desk.screen.index': 'Index',
  'desk.screen.queue': 'Send queue',
  'desk.screen.search': 'Search',
  'desk.screen.settings': 'Settings',
  'desk.help.open': 'Shortcuts (F1)',
  'desk.help.title': 'Keyboard shortcuts',
  'desk.help.close': 'Close',
  'desk.help.global': 'Every screen',
  'desk.help.note':
    'While you type in a field (Telex, VNI), letter and digit keys are only text; only F keys, Esc and Ctrl/Alt combinations act.',
  'desk.shortcut.screen': 'Go to the {name} screen',
  'desk.shortcut.help': 'Open or close this shortcut list',
  'desk.noDocument': 'No document is open. Choose one on the Scan, Send queue or Search screen.',
};
