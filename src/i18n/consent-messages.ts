// The consent page's words for consent per datum (Decree 13/2023 Art. 11; SPEC §6: Vietnamese
// first, English second): what may be refused, who operates the app and why, and the data of
// the `organization` and `national_id` scopes. Merged into the catalogues by index.ts; `en` is
// typed by `vi`, so a key missing in either fails the type check.
const vi = {
  'consent.choose_note': 'Bỏ chọn những thông tin bạn không muốn chia sẻ. Ứng dụng chỉ nhận được những gì bạn để chọn.',
  'consent.required_note': 'Bắt buộc để đăng nhập: ứng dụng cần biết đó là bạn.',
  'consent.agency_label': 'Đơn vị vận hành',
  'consent.purpose_label': 'Mục đích sử dụng thông tin',
  'scope.organization': 'Thông tin tổ chức: mã số thuế, tên tổ chức và loại tài khoản',
  'claim.vneid_verified': 'Số định danh cá nhân của bạn đã được xác thực qua VNeID hay chưa',
  'claim.organization_name': 'Tên tổ chức',
} satisfies Record<string, string>;

const en: Record<keyof typeof vi, string> = {
  'consent.choose_note': 'Untick anything you do not want to share. The app receives only what stays ticked.',
  'consent.required_note': 'Needed to sign in: the app must know it is you.',
  'consent.agency_label': 'Operated by',
  'consent.purpose_label': 'What the information is used for',
  'scope.organization': 'Your organization: tax code, name and account type',
  'claim.vneid_verified': 'Whether your personal identification number has been verified through VNeID',
  'claim.organization_name': 'Organization name',
};

export const consentMessages = { vi, en };
export type ConsentMessageKey = keyof typeof vi;
