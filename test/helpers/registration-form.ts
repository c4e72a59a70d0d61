// What a citizen types into the registration form, valid throughout: the fields of
// accounts/registration/fields.ts, a personal number registered in Thừa Thiên Huế (046) for a
// man born in 1990 (IDENTIFIERS.md). Tests change what they are about.
export const REGISTRATION_PASSWORD = 'Sông-Hương-chảy-7';

export function citizenRegistration(changes: Record<string, string> = {}): Record<string, string> {
  return {
    ...WHOLE_FORM,
    username: '',
    password: REGISTRATION_PASSWORD,
    passwordConfirmation: REGISTRATION_PASSWORD,
    fullName: 'Nguyễn Văn An',
    birthdate: '1990-05-17',
    gender: 'male',
    phone: '0912345678',
    email: '',
    idType: 'cccd',
    idNumber: '046090001234',
    nationality: 'VN',
    issueDate: '15/08/2021',
    issuePlace: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
    province: 'hue',
    ward: 'Phường Thuận Hóa',
    houseNumber: '12',
    street: 'Lê Lợi',
    ...changes,
  };
}

/**
 * Posted over a page's hidden `step`, the form is checked whole, every step at once, as a
 * script posting every field would (interactions/registration/form.ts); the steps themselves
 * are walked by test/http/registration-steps.test.ts and the browser tests.
 */
export const WHOLE_FORM = { step: '' } as const;
