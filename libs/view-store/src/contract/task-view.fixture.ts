import { randomUUID } from 'node:crypto';
import { ViewDefinition } from '../view-store.port';

/** Shaped like a background task's view: enough field kinds to exercise every condition and order. */
export interface TaskView {
  id: string;
  revision: number;
  status: 'Queued' | 'Running' | 'Succeeded' | 'Failed';
  type: string;
  owner: string | null;
  tags: string[];
  attempts: number;
  /** The caller's data: never declared, so never queried. */
  input: unknown;
  createdAt: string;
  updatedAt: string;
  /** null for a task to run as soon as possible. */
  dueAt: string | null;
}

export const taskViews: ViewDefinition<TaskView> = {
  name: 'task_views',
  fields: {
    status: { type: 'string' },
    type: { type: 'string' },
    owner: { type: 'string' },
    tags: { type: 'string[]' },
    attempts: { type: 'number' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    dueAt: { type: 'string' },
  },
  orders: {
    createdAt: { field: 'createdAt', direction: 'desc' },
    updatedAt: { field: 'updatedAt', direction: 'desc' },
    dueAt: { field: 'dueAt', direction: 'asc' },
    // A descending order on a nullable field: its nulls come last.
    dueAtLatest: { field: 'dueAt', direction: 'desc' },
    attempts: { field: 'attempts', direction: 'desc' },
  },
  indexes: [
    ['status', 'createdAt'],
    ['status', 'dueAt'],
    ['owner', 'updatedAt'],
  ],
};

export function aTaskView(overrides: Partial<TaskView> = {}): TaskView {
  return {
    id: randomUUID(),
    revision: 0,
    status: 'Queued',
    type: 'send-invoice',
    owner: 'billing',
    tags: ['billing'],
    attempts: 0,
    input: { invoice: 42, lines: [1, [2, null], { note: null }] },
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    dueAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

/** 2026-11-23T09:mm:00.000Z */
export const minute = (m: number): string => new Date(Date.UTC(2026, 10, 23, 9, m)).toISOString();
