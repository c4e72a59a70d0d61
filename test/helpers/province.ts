// The province a view test renders its pages for: named, with the built-in logo and no help
// contact, as loadConfig reads it.
import { parseProvince } from '../../src/http/index.ts';

export const testProvince = parseProvince({ PROVINCE_NAME: 'Tỉnh Thử Nghiệm' });
