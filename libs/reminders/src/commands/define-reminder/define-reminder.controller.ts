import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CLOCK, Clock } from '@herald/kernel';
import { HeraldConfig, assertJsonWithin } from '@herald/platform';
import { DefineReminderCommand } from './define-reminder.command';
import { DefineReminderDto } from './define-reminder.dto';

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
    const delayMs = body.dueAt === undefined ? ((body.hours ?? 0) * 3600 + (body.minutes ?? 0) * 60 + (body.seconds ?? 0)) * 1000 : undefined;
    const { id, dueAt } = await this.commands.execute(
      new DefineReminderCommand({
        dueAt: body.dueAt === undefined ? undefined : new Date(body.dueAt),
        delayMs,
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
