import { Body, Controller, Headers, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandRunner, CreateRoute, IdempotentCreation, createResource } from '@herald/runtime';
import { REMINDER } from '../../reminder-aggregate';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CLOCK, Clock, invalid } from '@herald/kernel';
import { Caller, HeraldConfig, Principal, RequestTraceparent, assertJsonWithin } from '@herald/platform';
import { DefineReminderCommand } from './define-reminder.command';
import { DefineReminderDto } from './define-reminder.dto';
import { dueTimeOf } from '../due-time/due-time.dto';
import { CallbackAddressPolicy } from '../../callbacks/callback-address-policy';
import { ReminderDefinedDto } from './reminder-defined.dto';

@ApiTags('reminders')
@Controller('api/v1/reminders')
export class DefineReminderController {
  constructor(
    private readonly commands: CommandBus,
    private readonly config: HeraldConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly addressPolicy: CallbackAddressPolicy,
    private readonly idempotent: IdempotentCreation,
    private readonly runner: CommandRunner,
  ) {}

  @CreateRoute({ status: 201, type: ReminderDefinedDto, description: 'Defined' })
  @ApiOperation({
    operationId: 'reminders.define',
    summary: 'Define a reminder',
    description:
      'Herald POSTs `{ reminderId, dueAt, payload, attempt }` to `address` when it is due, with `Idempotency-Key` (the reminder id) ' +
      'and `Herald-Attempt`, and retries with backoff until the receiver answers 2xx or `maxAttempts` are spent. ' +
      'The log has it before this answers.',
  })
  async define(
    @Body() body: DefineReminderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    assertJsonWithin('payload', body.payload, this.config.PAYLOAD_MAX_BYTES);
    // A literal IP the callback address policy refuses will never be called: say so now. Names are checked when the callback fires.
    const refused = this.addressPolicy.literalAddressProblem(body.address);
    if (refused) throw invalid('InvalidReminder', refused);
    const input = {
      ...dueTimeOf(body),
      address: body.address,
      payload: body.payload ?? null,
      headers: body.headers ?? {},
      maxAttempts: body.maxAttempts ?? this.config.DEFAULT_MAX_ATTEMPTS,
      timeoutMs: body.timeoutMs ?? this.config.DEFAULT_TIMEOUT_MS,
      traceparent,
    };
    const { id, dueAt, status } = await createResource(
      this.idempotent,
      { body, reply, caller, traceparent, idempotencyKey },
      {
        kind: 'reminder',
        collection: '/api/v1/reminders',
        create: async (reminderId, { commandId, owner }) => ({
          ...(await this.commands.execute(new DefineReminderCommand({ ...input, owner, reminderId, commandId }))),
          status: 'Active',
        }),
        replay: async (reminderId) => {
          const { state } = await this.runner.load(REMINDER, reminderId);
          return state ? { id: reminderId, dueAt: new Date(state.dueAt), status: state.status, definedAt: new Date(state.definedAt) } : null;
        },
        createdAtOf: (reminder) => reminder.definedAt.toISOString(),
        idOf: (reminder) => reminder.id,
      },
    );
    const timeLeft = status === 'Active' ? Math.max(0, dueAt.getTime() - this.clock.now().getTime()) / 1000 : 0;
    return { id, status, timeLeft, dueAt: dueAt.toISOString() };
  }
}
