import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CLOCK, Clock, invalid } from '@herald/kernel';
import { Caller, HeraldConfig, Principal, assertJsonWithin, ownerFor } from '@herald/platform';
import { DefineReminderCommand } from './define-reminder.command';
import { DefineReminderDto } from './define-reminder.dto';
import { dueTimeOf } from '../due-time/due-time.dto';
import { CallbackAddressPolicy } from '../../callbacks/callback-address-policy';

@Controller('api/v1/reminders')
export class DefineReminderController {
  constructor(
    private readonly commands: CommandBus,
    private readonly config: HeraldConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly addressPolicy: CallbackAddressPolicy,
  ) {}

  @Post()
  @HttpCode(201)
  async define(@Body() body: DefineReminderDto, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: Principal) {
    assertJsonWithin('payload', body.payload, this.config.PAYLOAD_MAX_BYTES);
    // A literal IP the callback address policy refuses will never be called: say so now. Names are checked when the callback fires.
    const refused = this.addressPolicy.literalAddressProblem(body.address);
    if (refused) throw invalid('InvalidReminder', refused);
    const { id, dueAt } = await this.commands.execute(
      new DefineReminderCommand({
        ...dueTimeOf(body),
        address: body.address,
        payload: body.payload ?? null,
        headers: body.headers ?? {},
        maxAttempts: body.maxAttempts ?? this.config.DEFAULT_MAX_ATTEMPTS,
        timeoutMs: body.timeoutMs ?? this.config.DEFAULT_TIMEOUT_MS,
        owner: ownerFor(caller, body.owner),
      }),
    );
    void reply.header('Location', `/api/v1/reminders/${id}`);
    return { id, status: 'Active', timeLeft: Math.max(0, dueAt.getTime() - this.clock.now().getTime()) / 1000, dueAt: dueAt.toISOString() };
  }
}
