import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CLOCK, Clock } from '@herald/kernel';
import { HeraldConfig, assertJsonWithin } from '@herald/platform';
import { DefineReminderCommand } from './define-reminder.command';
import { DefineReminderDto } from './define-reminder.dto';
import { dueTimeOf } from '../due-time/due-time.dto';

@Controller('api/v1/reminders')
export class DefineReminderController {
  constructor(
    private readonly commands: CommandBus,
    private readonly config: HeraldConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  async define(@Body() body: DefineReminderDto, @Res({ passthrough: true }) reply: FastifyReply) {
    assertJsonWithin('payload', body.payload, this.config.PAYLOAD_MAX_BYTES);
    const { id, dueAt } = await this.commands.execute(
      new DefineReminderCommand({
        ...dueTimeOf(body),
        address: body.address,
        payload: body.payload ?? null,
        headers: body.headers ?? {},
        maxAttempts: body.maxAttempts ?? this.config.DEFAULT_MAX_ATTEMPTS,
        timeoutMs: body.timeoutMs ?? this.config.DEFAULT_TIMEOUT_MS,
      }),
    );
    void reply.header('Location', `/api/v1/reminders/${id}`);
    return { id, status: 'Active', timeLeft: Math.max(0, dueAt.getTime() - this.clock.now().getTime()) / 1000, dueAt: dueAt.toISOString() };
  }
}
