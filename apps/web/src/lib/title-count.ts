import { createStore, useStore } from './store';

/**
 * How many things wait for the user's attention in this tab (reminders not yet seen): shown in
 * the document title as "(2) Todos · MicroNote" by PageTitle. The feature that counts sets it.
 */
export const titleCount = createStore(0);

export const useTitleCount = (): number => useStore(titleCount);

/** "(2) Todos · MicroNote", or the title alone when nothing waits. */
export const countedTitle = (title: string, count: number): string => (count > 0 ? `(${count > 99 ? '99+' : count}) ${title}` : title);
