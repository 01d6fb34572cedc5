import { deciderSpecification } from '@herald/testing';
import { NotificationPublishedData, notificationPublished } from '../events/notification-events';
import { notificationDecider } from '../notification-decider';
import { PublishNotification } from './publish-notification';

const ID = '8b7e4c2a-1d3f-4e5a-9b6c-0d1e2f3a4b5c';
const T0 = new Date('2027-01-01T09:00:00.123Z');

const spec = deciderSpecification(notificationDecider);
const command = (overrides: Partial<PublishNotification> = {}): PublishNotification => ({
  type: 'PublishNotification',
  notificationId: ID,
  channel: 'general',
  message: 'deploy finished',
  data: { build: 42 },
  owner: 'team-a',
  now: T0,
  ...overrides,
});
const published = (overrides: Partial<NotificationPublishedData> = {}) =>
  notificationPublished({
    notificationId: ID,
    channel: 'general',
    message: 'deploy finished',
    data: { build: 42 },
    owner: 'team-a',
    publishedAt: T0.toISOString(),
    ...overrides,
  });

describe('PublishNotification', () => {
  it('publishes the notification at the time it is decided', () => {
    spec.given([]).when(command()).then([published()]);
  });

  it('stores missing data as null, and keeps an owner of null', () => {
    spec
      .given([])
      .when(command({ data: undefined, owner: null }))
      .then([published({ data: null, owner: null })]);
  });

  it('keeps any JSON as data: a string, a number, an array, false', () => {
    for (const data of ['text', 0, [1, { a: null }], false]) {
      spec
        .given([])
        .when(command({ data }))
        .then([published({ data })]);
    }
  });

  it('refuses to publish an id twice, whatever the second says', () => {
    spec
      .given([published()])
      .when(command({ channel: 'other', message: 'another' }))
      .thenThrows({ kind: 'conflict', code: 'NotificationAlreadyExists', message: new RegExp(ID) });
  });

  it.each([
    ['a channel of 200 characters', { channel: 'c'.repeat(200) }, { channel: 'c'.repeat(200) }],
    ['a channel naming a task', { channel: 'task:3f6b2a0e-1d3f-4e5a-9b6c-0d1e2f3a4b5c' }, { channel: 'task:3f6b2a0e-1d3f-4e5a-9b6c-0d1e2f3a4b5c' }],
    ['a channel in another script with punctuation', { channel: 'équipe/paiements#1' }, { channel: 'équipe/paiements#1' }],
    ['a message of one character', { message: 'x' }, { message: 'x' }],
    ['a message of 2,000 characters with line breaks', { message: 'line\n'.repeat(400) }, { message: 'line\n'.repeat(400) }],
    ['an owner of 200 characters', { owner: 'o'.repeat(200) }, { owner: 'o'.repeat(200) }],
  ])('accepts %s', (_name, overrides, expected) => {
    spec
      .given([])
      .when(command(overrides))
      .then([published(expected)]);
  });

  it.each([
    ['an empty channel', { channel: '' }, /^channel must be 1-200 visible characters without spaces or commas/],
    ['a channel of 201 characters', { channel: 'c'.repeat(201) }, /^channel must be 1-200 visible characters/],
    ['a channel with a space', { channel: 'team billing' }, /^channel must be 1-200 visible characters/],
    ['a channel with a comma', { channel: 'a,b' }, /^channel must be 1-200 visible characters/],
    ['a channel with a tab', { channel: 'a\tb' }, /^channel must be 1-200 visible characters/],
    ['a channel with a control character', { channel: 'a\u0007b' }, /^channel must be 1-200 visible characters/],
    ['a channel with a zero-width space', { channel: 'a\u200bb' }, /^channel must be 1-200 visible characters/],
    ['a channel with a lone surrogate', { channel: 'a\ud800b' }, /^channel must be 1-200 visible characters/],
    ['an empty message', { message: '' }, /^message must be a string of 1-2000 characters$/],
    ['a message of 2,001 characters', { message: 'm'.repeat(2_001) }, /^message must be a string of 1-2000 characters$/],
    ['an empty owner', { owner: '' }, /^owner must be null or a string of 1-200 characters$/],
    ['an owner of 201 characters', { owner: 'o'.repeat(201) }, /^owner must be null or a string of 1-200 characters$/],
  ])('refuses %s', (_name, overrides, message) => {
    spec.given([]).when(command(overrides)).thenThrows({ kind: 'invalid', code: 'InvalidNotification', message });
  });
});
