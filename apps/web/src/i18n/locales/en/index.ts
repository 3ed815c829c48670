/**
 * English, the source language: bundled with the app (the fallback for every other language and
 * what the type of every key is checked against). One JSON file per namespace; a new namespace is
 * imported here and in every other language's index.
 */
import common from './common.json';
import pwa from './pwa.json';

export const en = { common, pwa };
