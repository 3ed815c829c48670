/** German: loaded on demand (its own chunk) when the profile's or the browser's locale asks for it. */
import type { Messages } from '../../messages';
import common from './common.json';
import pwa from './pwa.json';

export const de: Messages = { common, pwa };
