import { deskVi } from './desk.js';
import { indexingVi } from './indexing.js';
import { queueVi } from './queue.js';
import { reviewVi } from './review.js';
import { searchVi } from './search.js';
import { settingsScreenVi } from './settings-screen.js';

/**
 * Every UI string in Vietnamese, the default language of the station.
 *
 * Keys are flat and dotted; `{name}` marks a parameter. Text is NFC (a test
 * checks), because clerks copy it into documents and search matches on NFC.
 * Error messages say what happened and then what to do next.
 */
export const vi = {
  ...deskVi,
  ...reviewVi,
  ...indexingVi,
  ...queueVi,
  ...searchVi,
  ...settingsScreenVi,
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

  'ocr.overlay.label': 'Chữ nhận dạng trên {page}',
  'ocr.overlay.doubtful':
    '{count} từ nhận dạng chưa chắc chắn (độ tin cậy dưới {threshold}%): kiểm tra lại các chỗ được tô màu.',
  'ocr.overlay.none': 'Không có từ nào có độ tin cậy dưới {threshold}%.',
  'ocr.overlay.word': '“{text}”, độ tin cậy {confidence}%',

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
  'error.scan/profile-not-found':
    'Không có hồ sơ quét này. Chọn một hồ sơ quét khác trong danh sách, hoặc báo bộ phận CNTT.',
  'error.scan/unsupported-setting':
    'Máy quét này không làm được thiết lập của hồ sơ quét (khay nạp giấy, quét hai mặt, chế độ màu hoặc khổ giấy). Chọn hồ sơ quét khác hoặc máy quét khác.',
  'error.scan/untrusted-certificate':
    'Chứng thư bảo mật của máy quét mạng không được tin cậy. Báo bộ phận CNTT kiểm tra máy quét hoặc cho phép chứng thư tự ký của máy này.',
  'error.import/unsupported-format':
    'Tệp này không phải PDF, TIFF, JPEG hay PNG nên không nhập được. Quét hoặc lưu lại tài liệu ở một trong các định dạng đó rồi nhập lại.',
  'error.import/corrupt-file':
    'Tệp bị hỏng hoặc chưa được ghi xong nên không đọc được. Các tệp khác không bị ảnh hưởng. Lấy lại tệp từ máy quét hoặc nơi gửi rồi nhập lại.',
  'error.import/encrypted':
    'Tệp PDF có mật khẩu nên không mở được. Nhờ nơi gửi cung cấp bản không đặt mật khẩu rồi nhập lại.',
  'error.import/file-not-found': 'Không tìm thấy tệp cần nhập. Kiểm tra lại đường dẫn hoặc thư mục rồi thử lại.',
  'error.ocr/cancelled':
    'Đã dừng nhận dạng chữ của trang này (trang đã bị xóa hoặc được nhận dạng lại). Không cần làm gì thêm.',
  'error.ocr/failed':
    'Không nhận dạng được chữ trên trang này. Bấm “Nhận dạng lại”; nếu vẫn lỗi, quét lại trang hoặc nhập nội dung bằng tay.',
  'error.ocr/unreadable-image':
    'Tệp ảnh bị hỏng hoặc không phải định dạng ảnh được hỗ trợ (PNG, JPEG, TIFF, BMP). Quét lại trang hoặc chọn tệp khác.',
  'error.ocr/assets-missing':
    'Thiếu dữ liệu nhận dạng chữ đi kèm Trạm Số hóa. Cài đặt lại Trạm Số hóa hoặc báo bộ phận CNTT; các trang đã quét vẫn được giữ.',
  'error.ocr/not-claimed':
    'Trang này không còn chờ cửa sổ này nhận dạng (đã được máy khác hoặc lượt khác xử lý). Không cần làm gì thêm.',
  'error.store/not-found': 'Không tìm thấy dữ liệu này; có thể nó đã bị xóa. Làm mới danh sách rồi thử lại.',
  'error.store/disk-full':
    'Ổ đĩa đã gần đầy nên không lưu thêm được. Giải phóng dung lượng hoặc báo bộ phận CNTT, rồi thử lại.',
  'error.store/corrupt': 'Dữ liệu lưu trữ bị hỏng. Ngừng quét và báo ngay cho bộ phận CNTT.',
  'error.pdf/empty-document':
    'Mọi trang của tài liệu đều trắng nên không tạo được PDF. Kiểm tra lại bản quét, hoặc giữ lại trang trắng.',
  'error.store/not-empty':
    'Thư mục dữ liệu đích đã có dữ liệu nên không khôi phục vào đó. Chọn một thư mục trống rồi khôi phục lại.',
  'error.store/backup-invalid':
    'Bản sao lưu bị thiếu hoặc hỏng (mã băm không khớp) nên không khôi phục được. Thử khôi phục từ bản sao lưu khác hoặc báo bộ phận CNTT.',
  'error.workflow/illegal-transition':
    'Tài liệu đang ở bước khác nên không thể chuyển sang bước này. Làm mới danh sách, xem bước hiện tại của tài liệu rồi làm tiếp.',
  'error.workflow/blocked':
    'Tài liệu được đánh dấu “mật” hoặc “không thuộc phạm vi số hóa” nên không được gửi lên kho. Bỏ đánh dấu nếu đánh nhầm, nếu không thì giữ lại trên máy.',
  'error.workflow/not-ready':
    'Tài liệu chưa đủ điều kiện cho bước này (thiếu trường bắt buộc, chưa nhận dạng xong chữ hoặc chưa có tệp PDF). Hoàn thành phần còn thiếu rồi thử lại.',
  'error.workflow/signature-required':
    'Bước này cần chữ ký số nhưng chưa có chữ ký. Cắm thiết bị ký số (token) rồi ký lại.',
  'error.workflow/locked':
    'Tài liệu đã ký hoặc đã đóng gói nên không sửa được trang và nội dung nữa. Nếu cần sửa, mở lại tài liệu từ bước trước khi ký hoặc báo người phụ trách.',
  'error.sync/not-configured':
    'Chưa cấu hình kho dữ liệu (địa chỉ, mã máy trạm hoặc mật khẩu kết nối). Nhờ bộ phận CNTT nhập các thông tin này trong Cài đặt.',
  'error.sync/insecure-url':
    'Địa chỉ kho dữ liệu không dùng kết nối bảo mật (https) nên Trạm Số hóa từ chối gửi. Nhờ bộ phận CNTT sửa địa chỉ kho thành https.',
  'error.sync/secret-unavailable':
    'Không đọc được mật khẩu kết nối kho dữ liệu đã lưu trên máy này. Nhờ bộ phận CNTT nhập lại mật khẩu kết nối.',
  'error.sync/offline':
    'Không kết nối được tới kho dữ liệu. Kết quả vẫn được giữ an toàn trên máy và sẽ tự gửi lại khi có mạng.',
  'error.sync/tls':
    'Chứng thư bảo mật của kho dữ liệu không được tin cậy. Nhờ bộ phận CNTT cài đặt tệp chứng thư gốc (CA) của tỉnh.',
  'error.sync/auth-failed':
    'Kho dữ liệu từ chối thông tin đăng nhập của máy trạm. Nhờ bộ phận CNTT kiểm tra mã máy trạm và mật khẩu kết nối; kết quả vẫn được giữ trên máy.',
  'error.sync/forbidden':
    'Máy trạm chưa được cấp quyền gửi kết quả vào kho dữ liệu. Nhờ bộ phận CNTT cấp quyền cho máy trạm này.',
  'error.sync/busy': 'Kho dữ liệu đang quá tải. Trạm Số hóa sẽ tự gửi lại sau ít phút.',
  'error.sync/server-error': 'Kho dữ liệu đang gặp lỗi. Trạm Số hóa sẽ tự gửi lại sau; nếu kéo dài, báo bộ phận CNTT.',
  'error.sync/protocol':
    'Kho dữ liệu trả lời không đúng giao thức. Trạm Số hóa sẽ thử lại; nếu vẫn lỗi, báo bộ phận CNTT.',
  'error.sync/record-rejected':
    'Kho dữ liệu từ chối thông tin của kết quả này. Mở kết quả, sửa các trường thông tin bị báo lỗi rồi gửi lại.',
  'error.sync/too-large':
    'Tệp kết quả vượt quá dung lượng kho dữ liệu cho phép. Báo bộ phận CNTT để nâng giới hạn hoặc chia nhỏ tài liệu.',
  'error.sync/conflict':
    'Kho dữ liệu đã có một kết quả khác mang cùng mã tài liệu. Báo bộ phận CNTT để đối chiếu trước khi gửi lại.',
  'error.sync/hash-mismatch':
    'Tệp nhận được ở kho dữ liệu không khớp mã băm với tệp trên máy. Trạm Số hóa sẽ tự gửi lại tệp.',
  'error.sync/verify-failed':
    'Bản ghi đọc lại từ kho dữ liệu không khớp với tệp đã gửi. Báo bộ phận CNTT; bản trên máy được giữ nguyên.',
  'error.sync/file-missing':
    'Không tìm thấy tệp kết quả trên máy để gửi. Báo bộ phận CNTT để khôi phục từ bản sao lưu.',
  'error.sync/classified':
    'Tài liệu được đánh dấu “mật” nên không được gửi lên kho dữ liệu. Bỏ đánh dấu nếu đánh nhầm, nếu không thì giữ lại trên máy.',
  'error.sync/withdrawn':
    'Tài liệu đã được rút khỏi hàng đợi gửi nên chưa được gửi. Xếp lại tài liệu vào hàng đợi khi muốn gửi.',
  'error.sync/not-found': 'Không có kết quả này trong hàng đợi gửi. Làm mới danh sách rồi thử lại.',
  'error.sync/bag-invalid':
    'Gói dữ liệu (BagIt) bị hỏng hoặc đã bị sửa nên không được nhận. Xuất lại gói từ máy trạm gốc rồi chép lại.',
} as const;

/** A key of a UI string; both languages have exactly these keys. */
export type MessageKey = keyof typeof vi;
