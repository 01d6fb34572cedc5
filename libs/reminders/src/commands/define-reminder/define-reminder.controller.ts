import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { CommandRunner, IdempotentCreation, idempotencyKeyOf } from '@herald/runtime';
import { REMINDER } from '../../reminder-aggregate';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CLOCK, Clock, invalid } from '@herald/kernel';
import {
  ApiErrors,
  ApiIdempotencyKey,
  Caller,
  HeraldConfig,
  IDEMPOTENT_REPLAYED_HEADER,
  LOCATION_HEADER,
  Principal,
  RequestTraceparent,
  assertJsonWithin,
  ownerFor,
} from '@herald/platform';
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

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'reminders.define',
    summary: 'Define a reminder',
    description:
      'Herald POSTs `{ reminderId, dueAt, payload, attempt }` to `address` when it is due, with `Idempotency-Key` (the reminder id) ' +
      'and `Herald-Attempt`, and retries with backoff until the receiver answers 2xx or `maxAttempts` are spent. ' +
      'The log has it before this answers.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ReminderDefinedDto, description: 'Defined', headers: { ...LOCATION_HEADER, ...IDEMPOTENT_REPLAYED_HEADER } })
  @ApiErrors(400, 422)
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
    const owner = ownerFor(caller, body.owner);
    const input = {
      ...dueTimeOf(body),
      address: body.address,
      payload: body.payload ?? null,
      headers: body.headers ?? {},
      maxAttempts: body.maxAttempts ?? this.config.DEFAULT_MAX_ATTEMPTS,
      timeoutMs: body.timeoutMs ?? this.config.DEFAULT_TIMEOUT_MS,
      owner,
      traceparent,
    };
    const key = idempotencyKeyOf(idempotencyKey, { kind: 'reminder', owner, route: 'POST /api/v1/reminders', body });
    const { id, dueAt, status } = await this.idempotent.create(key, reply, {
      freshId: randomUUID,
      traceparent,
      create: async (reminderId, commandId) => ({
        ...(await this.commands.execute(new DefineReminderCommand({ ...input, reminderId, commandId }))),
        status: 'Active',
      }),
      replay: async (reminderId) => {
        const { state } = await this.runner.load(REMINDER, reminderId);
        return state ? { id: reminderId, dueAt: new Date(state.dueAt), status: state.status } : null;
      },
    });
    void reply.header('Location', `/api/v1/reminders/${id}`);
    const timeLeft = status === 'Active' ? Math.max(0, dueAt.getTime() - this.clock.now().getTime()) / 1000 : 0;
    return { id, status, timeLeft, dueAt: dueAt.toISOString() };
  }
}
