import type { TodoPriority } from '@micronote/contracts';

export const PRIORITY_LABEL: Record<TodoPriority, string> = { high: 'High', medium: 'Medium', low: 'Low' };
