import type { en } from './locales/en';

/** The shape every language provides: English's namespaces and keys (the values are strings). */
export type Messages = { [Namespace in keyof typeof en]: DeepStrings<(typeof en)[Namespace]> };

type DeepStrings<T> = { [Key in keyof T]: T[Key] extends string ? string : DeepStrings<T[Key]> };
