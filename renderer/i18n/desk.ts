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

  // The document workflow (shared/domain.ts WorkflowState), named the same on every screen.
  // Signing is not built yet: "sealed" is the PDF/A package, not an agency signature.
  'workflow.state.captured': 'Đã quét',
  'workflow.state.reviewed': 'Đã kiểm tra',
  'workflow.state.operator-signed': 'Người số hóa đã ký',
  'workflow.state.extracted': 'Đã trích xuất dữ liệu',
  'workflow.state.coded': 'Đã cấp mã',
  'workflow.state.sealed': 'Đã đóng gói PDF/A',
  'workflow.state.queued': 'Chờ gửi lên kho',
  'workflow.state.delivered': 'Đã gửi lên kho',
  'workflow.state.verified': 'Kho đã xác nhận',
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

  'workflow.state.captured': 'Scanned',
  'workflow.state.reviewed': 'Reviewed',
  'workflow.state.operator-signed': 'Signed by the operator',
  'workflow.state.extracted': 'Data extracted',
  'workflow.state.coded': 'Code assigned',
  'workflow.state.sealed': 'Packaged as PDF/A',
  'workflow.state.queued': 'Waiting to be sent to the warehouse',
  'workflow.state.delivered': 'Sent to the warehouse',
  'workflow.state.verified': 'Confirmed by the warehouse',
};
