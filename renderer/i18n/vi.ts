/**
 * Every UI string in Vietnamese, the default language of the station.
 *
 * Keys are flat and dotted; `{name}` marks a parameter. Text is NFC (a test
 * checks), because clerks copy it into documents and search matches on NFC.
 * Error messages say what happened and then what to do next.
 */
export const vi = {
  'app.title': 'Trạm Số hóa',
  'app.subtitle': 'Số hóa kết quả giải quyết thủ tục hành chính',
  'app.version': 'Phiên bản {version}',
  'app.loading': 'Đang tải…',

  'connection.label': 'Kết nối với bộ máy xử lý',
  'connection.connecting': 'Đang kết nối…',
  'connection.online': 'Đã kết nối',
  'connection.offline': 'Mất kết nối, đang thử lại…',

  'language.label': 'Ngôn ngữ',
  'language.vi': 'Tiếng Việt',
  'language.en': 'English',
  'language.locked': 'Ngôn ngữ do bộ phận CNTT khóa',

  'nav.label': 'Chức năng',
  'nav.capture': 'Quét',

  'capture.heading': 'Quét tài liệu',
  'capture.settings': 'Thiết lập lượt quét',
  'capture.device': 'Máy quét',
  'capture.device.loading': 'Đang tìm máy quét…',
  'capture.device.none': 'Không có máy quét nào',
  'capture.device.notAllowed': '{name} (không được phép dùng)',
  'capture.device.refresh': 'Làm mới danh sách',
  'capture.pageCount': 'Số trang',
  'capture.pageCount.hint': 'Để trống để quét hết giấy trong khay.',
  'capture.scan': 'Quét',
  'capture.scan.shortcut': 'F2 hoặc Ctrl+Enter',
  'capture.stop': 'Dừng',
  'capture.stop.shortcut': 'Esc',
  'capture.continue': 'Tiếp tục',
  'capture.dismiss': 'Đóng thông báo',
  'capture.status.idle': 'Sẵn sàng quét.',
  'capture.status.starting': 'Đang khởi động máy quét…',
  'capture.status.progress': 'Đã quét {done}/{total} trang',
  'capture.status.progressOpen': 'Đã quét {done} trang',
  'capture.status.cancelling': 'Đang dừng…',
  'capture.status.finished': 'Xong: đã quét {done} trang.',
  'capture.status.cancelled': 'Đã dừng: giữ lại {done} trang đã quét.',
  'capture.status.failed': 'Quét bị gián đoạn sau {done} trang.',
  'capture.pages': 'Các trang vừa quét',
  'capture.pages.empty': 'Chưa có trang nào. Đặt giấy vào máy quét rồi bấm Quét.',
  'capture.page': 'Trang {number}',
  'capture.page.loading': 'Đang tải ảnh trang {number}…',
  'capture.page.failed': 'Không tải được ảnh trang {number}',

  'batches.heading': 'Lượt quét gần đây',
  'batches.empty': 'Chưa có lượt quét nào.',
  'batches.startedAt': 'Bắt đầu',
  'batches.device': 'Máy quét',
  'batches.pages': 'Số trang',
  'batches.state': 'Trạng thái',
  'batches.state.scanning': 'Đang quét',
  'batches.state.finished': 'Hoàn tất',
  'batches.state.cancelled': 'Đã dừng',
  'batches.state.failed': 'Lỗi',

  'error.title': 'Có lỗi',
  'error.details': 'Chi tiết kỹ thuật',
  'error.internal': 'Đã xảy ra lỗi không mong muốn. Thử lại; nếu vẫn lỗi, báo bộ phận CNTT kèm thời điểm xảy ra.',
  'error.ipc/invalid-args': 'Dữ liệu gửi đi không hợp lệ. Kiểm tra các ô vừa nhập rồi thử lại.',
  'error.ipc/unknown-call': 'Phiên bản này chưa có chức năng đó. Cập nhật Trạm Số hóa hoặc báo bộ phận CNTT.',
  'error.ipc/untrusted-sender':
    'Yêu cầu bị từ chối vì không đến từ cửa sổ của Trạm Số hóa. Đóng cửa sổ này rồi mở lại ứng dụng.',
  'error.bridge/unauthorized':
    'Phiên làm việc không hợp lệ hoặc đã hết hạn. Mở lại đúng địa chỉ mà Trạm Số hóa vừa in ra.',
  'error.bridge/forbidden-origin':
    'Yêu cầu bị từ chối vì đến từ trang khác. Mở Trạm Số hóa bằng địa chỉ 127.0.0.1 do ứng dụng in ra.',
  'error.settings/invalid': 'Giá trị cài đặt không hợp lệ. Kiểm tra lại giá trị vừa nhập.',
  'error.settings/locked': 'Cài đặt này do bộ phận CNTT khóa. Liên hệ bộ phận CNTT nếu cần thay đổi.',
  'error.scan/device-not-found':
    'Không tìm thấy máy quét. Kiểm tra cáp và nguồn của máy quét, rồi bấm Làm mới danh sách.',
  'error.scan/no-paper': 'Khay nạp giấy đang trống. Đặt giấy vào khay rồi bấm Tiếp tục.',
  'error.scan/paper-jam': 'Kẹt giấy. Mở nắp máy quét, gỡ tờ bị kẹt rồi bấm Tiếp tục.',
  'error.scan/cover-open': 'Nắp máy quét đang mở. Đóng nắp lại rồi bấm Tiếp tục.',
  'error.scan/busy': 'Máy quét đang bận việc khác. Chờ việc đó xong rồi bấm Tiếp tục.',
  'error.scan/offline': 'Máy quét không phản hồi. Kiểm tra cáp, nguồn và mạng của máy quét, rồi bấm Tiếp tục.',
  'error.scan/cancelled': 'Đã dừng quét. Các trang đã quét vẫn được giữ lại.',
  'error.scan/io': 'Lỗi khi nhận dữ liệu từ máy quét. Tắt rồi bật lại máy quét, sau đó bấm Tiếp tục.',
  'error.store/not-found': 'Không tìm thấy dữ liệu này; có thể nó đã bị xóa. Làm mới danh sách rồi thử lại.',
  'error.store/disk-full':
    'Ổ đĩa đã gần đầy nên không lưu thêm được. Giải phóng dung lượng hoặc báo bộ phận CNTT, rồi thử lại.',
  'error.store/corrupt': 'Dữ liệu lưu trữ bị hỏng. Ngừng quét và báo ngay cho bộ phận CNTT.',
} as const;

/** A key of a UI string; both languages have exactly these keys. */
export type MessageKey = keyof typeof vi;
