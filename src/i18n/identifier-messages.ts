// The words for every identifier error code (accounts/identifiers/), merged into the catalogues
// by index.ts: the parsers raise codes, the words live with the other words.
// Each message says what is wrong and what to do; `{name}` is filled from the error's params.
import type { IdentifierErrorCode } from '../accounts/identifiers/index.ts';

const vi = {
  'cccd.required': 'Vui lòng nhập số định danh cá nhân (12 chữ số in trên thẻ căn cước hoặc căn cước công dân).',
  'cccd.characters':
    'Số định danh cá nhân chỉ gồm chữ số. Hãy xóa chữ cái, dấu chấm hoặc dấu gạch rồi nhập lại.',
  'cccd.length':
    'Số định danh cá nhân có đúng 12 chữ số, nhưng số bạn nhập có {length} chữ số. Hãy đối chiếu với số in trên thẻ căn cước.',
  'cccd.province':
    'Ba chữ số đầu ({code}) không phải mã tỉnh, thành phố nơi đăng ký khai sinh. Hãy kiểm tra lại số định danh cá nhân.',
  'cccd.birth_year_mismatch':
    'Theo số định danh cá nhân, bạn sinh năm {idYear}, nhưng ngày sinh bạn nhập thuộc năm {birthYear}. Hãy kiểm tra lại số định danh hoặc ngày sinh.',
  'cccd.gender_mismatch':
    'Giới tính bạn chọn không khớp với số định danh cá nhân. Hãy kiểm tra lại giới tính hoặc số định danh.',

  'cmnd.required': 'Vui lòng nhập số chứng minh nhân dân (CMND) 9 chữ số.',
  'cmnd.characters': 'Số chứng minh nhân dân chỉ gồm chữ số. Hãy xóa chữ cái hoặc ký hiệu rồi nhập lại.',
  'cmnd.length':
    'Số chứng minh nhân dân cũ có đúng 9 chữ số, nhưng số bạn nhập có {length} chữ số. Nếu bạn đã có thẻ căn cước, hãy dùng số định danh cá nhân 12 chữ số.',

  'passport.required': 'Vui lòng nhập số hộ chiếu.',
  'passport.nationality': 'Quốc tịch phải là mã quốc gia gồm 2 chữ cái theo ISO 3166-1 (ví dụ: US, FR, JP). Hãy chọn lại quốc tịch.',
  'passport.vn_format':
    'Số hộ chiếu Việt Nam gồm 1 chữ cái in hoa và 7 chữ số (ví dụ: C1234567). Hãy đối chiếu với trang thông tin của hộ chiếu.',
  'passport.foreign_format':
    'Số hộ chiếu nước ngoài gồm từ 6 đến 20 chữ cái Latinh hoặc chữ số, không có ký hiệu. Hãy đối chiếu với trang thông tin của hộ chiếu.',

  'tax_code.required': 'Vui lòng nhập mã số thuế (mã số doanh nghiệp).',
  'tax_code.characters':
    'Mã số thuế chỉ gồm chữ số, có thể kèm một dấu gạch ngang trước mã đơn vị phụ thuộc (ví dụ: 0100107518 hoặc 0100107518-001).',
  'tax_code.format':
    'Mã số thuế của đơn vị phụ thuộc gồm 10 chữ số, dấu gạch ngang và 3 chữ số (ví dụ: 0100107518-001). Hãy kiểm tra vị trí dấu gạch ngang.',
  'tax_code.length':
    'Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc, nhưng số bạn nhập có {length} chữ số. Hãy đối chiếu với giấy chứng nhận đăng ký doanh nghiệp.',
  'tax_code.personal_number':
    'Số có 12 chữ số là số định danh cá nhân, không dùng để đăng ký tài khoản tổ chức. Tổ chức, doanh nghiệp hãy nhập mã số thuế 10 chữ số (hoặc 13 chữ số với đơn vị phụ thuộc); cá nhân hãy đăng ký tài khoản công dân.',
  'tax_code.check_digit':
    'Mã số thuế không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không khớp, có thể do gõ nhầm một chữ số. Hãy đối chiếu với giấy chứng nhận đăng ký doanh nghiệp.',
  'tax_code.branch': 'Mã đơn vị phụ thuộc (3 chữ số sau dấu gạch ngang) phải từ 001 đến 999. Hãy kiểm tra lại mã số thuế.',

  'phone.required': 'Vui lòng nhập số điện thoại di động.',
  'phone.characters':
    'Số điện thoại chỉ gồm chữ số, có thể bắt đầu bằng +84 (ví dụ: 0912 345 678 hoặc +84 912 345 678).',
  'phone.country': 'Chỉ nhận số điện thoại di động Việt Nam. Hãy nhập số bắt đầu bằng 0 hoặc +84.',
  'phone.format': 'Số điện thoại di động phải bắt đầu bằng 0 hoặc +84 (ví dụ: 0912345678 hoặc +84912345678).',
  'phone.prefix':
    'Đầu số {prefix} không phải đầu số di động Việt Nam. Hãy nhập số điện thoại di động của bạn (ví dụ: 09x, 08x, 07x, 05x, 03x).',
  'phone.length':
    'Số điện thoại di động gồm 10 chữ số bắt đầu bằng 0 (hoặc +84 và 9 chữ số). Hãy kiểm tra xem có thiếu hay thừa chữ số không.',

  'name.required': 'Vui lòng nhập họ và tên.',
  'name.characters':
    'Họ và tên chỉ gồm chữ cái (tiếng Việt hoặc Latinh), dấu cách, dấu nháy đơn (\') và dấu gạch nối (-). Hãy xóa ký tự “{character}”.',
  'name.punctuation':
    'Dấu nháy đơn (\') và dấu gạch nối (-) chỉ được đặt giữa hai chữ cái, ví dụ: O\'Brien, Jean-Pierre.',
  'name.too_long': 'Họ và tên dài tối đa {max} ký tự, nhưng tên bạn nhập có {length} ký tự. Hãy nhập đúng họ và tên như trên giấy tờ tùy thân.',
} satisfies Record<IdentifierErrorCode, string>;

const en = {
  'cccd.required': 'Enter your personal identification number (the 12 digits on your citizen identity card).',
  'cccd.characters':
    'A personal identification number contains digits only. Remove any letters, dots or dashes and try again.',
  'cccd.length':
    'A personal identification number has exactly 12 digits, but you entered {length}. Check it against the number printed on your identity card.',
  'cccd.province':
    'The first three digits ({code}) are not the code of a province where births are registered. Check the personal identification number.',
  'cccd.birth_year_mismatch':
    'Your personal identification number says you were born in {idYear}, but the date of birth you entered is in {birthYear}. Check the number or the date of birth.',
  'cccd.gender_mismatch':
    'The gender you chose does not match your personal identification number. Check the gender or the number.',

  'cmnd.required': 'Enter your 9-digit identity card number (CMND).',
  'cmnd.characters': 'An identity card number (CMND) contains digits only. Remove any letters or symbols and try again.',
  'cmnd.length':
    'An old identity card number (CMND) has exactly 9 digits, but you entered {length}. If you have a new identity card, use its 12-digit personal identification number.',

  'passport.required': 'Enter your passport number.',
  'passport.nationality': 'Nationality must be a two-letter ISO 3166-1 country code (for example US, FR, JP). Choose the nationality again.',
  'passport.vn_format':
    'A Vietnamese passport number is one capital letter followed by 7 digits (for example C1234567). Check it against the data page of your passport.',
  'passport.foreign_format':
    'A foreign passport number has 6 to 20 Latin letters or digits and no symbols. Check it against the data page of your passport.',

  'tax_code.required': 'Enter the tax code (enterprise code).',
  'tax_code.characters':
    'A tax code contains digits only, with one dash before a dependent unit’s code (for example 0100107518 or 0100107518-001).',
  'tax_code.format':
    'A dependent unit’s tax code is 10 digits, a dash and 3 digits (for example 0100107518-001). Check where the dash is.',
  'tax_code.length':
    'A tax code has 10 digits, or 13 for a dependent unit, but you entered {length}. Check it against the enterprise registration certificate.',
  'tax_code.personal_number':
    'A 12-digit number is a personal identification number and cannot register an organization account. Organizations enter their 10-digit tax code (13 digits for a dependent unit); individuals register a citizen account.',
  'tax_code.check_digit':
    'This tax code is not valid: its check digit (the 10th digit) does not match, which usually means one digit was mistyped. Check it against the enterprise registration certificate.',
  'tax_code.branch': 'A dependent unit’s code (the 3 digits after the dash) must be from 001 to 999. Check the tax code.',

  'phone.required': 'Enter your mobile phone number.',
  'phone.characters':
    'A phone number contains digits only and may start with +84 (for example 0912 345 678 or +84 912 345 678).',
  'phone.country': 'Only Vietnamese mobile numbers are accepted. Enter a number starting with 0 or +84.',
  'phone.format': 'A mobile number must start with 0 or +84 (for example 0912345678 or +84912345678).',
  'phone.prefix':
    '{prefix} is not a Vietnamese mobile prefix. Enter your mobile phone number (for example 09x, 08x, 07x, 05x, 03x).',
  'phone.length':
    'A mobile number has 10 digits starting with 0 (or +84 and 9 digits). Check for a missing or extra digit.',

  'name.required': 'Enter your full name.',
  'name.characters':
    'A name may contain only letters (Vietnamese or Latin), spaces, apostrophes (\') and hyphens (-). Remove the character “{character}”.',
  'name.punctuation': 'An apostrophe (\') or hyphen (-) must stand between two letters, as in O\'Brien or Jean-Pierre.',
  'name.too_long': 'A name may have at most {max} characters, but yours has {length}. Enter your full name as on your identity document.',
} satisfies Record<IdentifierErrorCode, string>;

export const identifierMessages: { vi: Record<string, string>; en: Record<string, string> } = { vi, en };
