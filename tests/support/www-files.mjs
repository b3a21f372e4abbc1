// The shipped files of www/ that the page's Node tests read: the folder, config.json and the
// language files, parsed once here.
import { readFile } from 'node:fs/promises';
// The shipped departments have queue rules: the page reads them with this module (config.js).
import '../../www/js/model/config-groups.js';

export const www = new URL('../../www/', import.meta.url);
export const shipped = JSON.parse(await readFile(new URL('config.json', www), 'utf8'));
export const english = JSON.parse(await readFile(new URL('i18n/en.json', www), 'utf8'));
export const spanish = JSON.parse(await readFile(new URL('i18n/es.json', www), 'utf8'));
