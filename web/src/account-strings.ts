/**
 * The account page's words (web/src/account-screen.ts) and the upload
 * refusals of the files screen, in English and Vietnamese, registered with
 * web/src/i18n.ts. Both languages name the same keys (the type says so).
 */
import { registerStrings } from './i18n';

export const ACCOUNT_EN = {
  'account.heading': 'Account',
  'account.signedInAs': 'Signed in as',
  'account.changePassword': 'Change password',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.changePasswordSubmit': 'Save new password',
  'account.cancel': 'Cancel',
  'account.passwordWeak': 'The new password does not meet every rule yet; the list under it shows which.',
  'account.passwordChanging': 'Changing your password…',
  'account.passwordChanged': 'Password changed. Use the new one the next time you sign in.',
  'account.passwordChangeFailed': 'Changing the password failed. {error}',
  'account.signOutEverywhere': 'Sign out everywhere',
  'account.signOutEverywhereHint':
    'Ends this account’s sessions on every device: none of them can renew its sign-in. Access a device already holds ends when it expires (at most about an hour).',
  'account.signingOutEverywhere': 'Signing out on every device…',
  'account.signedOutEverywhere': 'Signed out on every device. Other devices cannot renew their sign-in; access they already hold ends when it expires.',
  'account.signOutEverywhereFailed': 'Signing out everywhere failed; you are still signed in. {error}',
  'account.deleteAccount': 'Delete account',
  'account.deleteHint': 'Deletes your files, their check results, your items and your sign-in for good.',
  'account.deleteConfirmHeading': 'Delete your account?',
  'account.deleteConfirmBody':
    'Everything stored for {email} will be deleted: every file with all its versions, the check results, your items, and the account itself. This cannot be undone.',
  'account.deleteConfirm': 'Delete my account and files',
  'account.deleting': 'Deleting your account and files…',
  'account.deleted': 'Your account and everything stored for it were deleted. You are signed out.',
  'account.deleteFailed': 'Deleting the account failed; you are still signed in. {error}',
  'account.deleteStillRunning': 'Deleting is still in progress; you are still signed in. Try again in a minute.',
  'files.wrongType': '{name} is of type {type}; this stage accepts only {allowed}.',
  'files.typeUnknown': 'unknown',
  'files.uploadTypes': 'Accepted types: {types}',
};

export const ACCOUNT_VI: Record<keyof typeof ACCOUNT_EN, string> = {
  'account.heading': 'Tài khoản',
  'account.signedInAs': 'Đang đăng nhập với',
  'account.changePassword': 'Đổi mật khẩu',
  'account.currentPassword': 'Mật khẩu hiện tại',
  'account.newPassword': 'Mật khẩu mới',
  'account.changePasswordSubmit': 'Lưu mật khẩu mới',
  'account.cancel': 'Hủy',
  'account.passwordWeak': 'Mật khẩu mới chưa đáp ứng mọi quy tắc; danh sách bên dưới cho biết quy tắc nào.',
  'account.passwordChanging': 'Đang đổi mật khẩu…',
  'account.passwordChanged': 'Đã đổi mật khẩu. Hãy dùng mật khẩu mới trong lần đăng nhập sau.',
  'account.passwordChangeFailed': 'Đổi mật khẩu không thành công. {error}',
  'account.signOutEverywhere': 'Đăng xuất trên mọi thiết bị',
  'account.signOutEverywhereHint':
    'Kết thúc các phiên của tài khoản này trên mọi thiết bị: không thiết bị nào gia hạn được phiên đăng nhập. Quyền truy cập mà một thiết bị đã có sẽ hết khi hết hạn (nhiều nhất khoảng một giờ).',
  'account.signingOutEverywhere': 'Đang đăng xuất trên mọi thiết bị…',
  'account.signedOutEverywhere': 'Đã đăng xuất trên mọi thiết bị. Các thiết bị khác không gia hạn được phiên; quyền truy cập chúng đã có sẽ hết khi hết hạn.',
  'account.signOutEverywhereFailed': 'Đăng xuất trên mọi thiết bị không thành công; bạn vẫn đang đăng nhập. {error}',
  'account.deleteAccount': 'Xóa tài khoản',
  'account.deleteHint': 'Xóa vĩnh viễn các tệp, kết quả kiểm tra, dữ liệu và thông tin đăng nhập của bạn.',
  'account.deleteConfirmHeading': 'Xóa tài khoản của bạn?',
  'account.deleteConfirmBody':
    'Mọi thứ lưu cho {email} sẽ bị xóa: mọi tệp cùng tất cả phiên bản, kết quả kiểm tra, dữ liệu của bạn và chính tài khoản. Không thể hoàn tác.',
  'account.deleteConfirm': 'Xóa tài khoản và các tệp của tôi',
  'account.deleting': 'Đang xóa tài khoản và các tệp…',
  'account.deleted': 'Tài khoản của bạn và mọi thứ lưu cho nó đã bị xóa. Bạn đã đăng xuất.',
  'account.deleteFailed': 'Xóa tài khoản không thành công; bạn vẫn đang đăng nhập. {error}',
  'account.deleteStillRunning': 'Việc xóa vẫn đang diễn ra; bạn vẫn đang đăng nhập. Hãy thử lại sau một phút.',
  'files.wrongType': '{name} có kiểu {type}; môi trường này chỉ nhận {allowed}.',
  'files.typeUnknown': 'không rõ',
  'files.uploadTypes': 'Kiểu được nhận: {types}',
};

registerStrings({ en: ACCOUNT_EN, vi: ACCOUNT_VI });
