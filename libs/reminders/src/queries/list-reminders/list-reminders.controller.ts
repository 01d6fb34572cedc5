import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { Caller, Principal, ownerFor } from '@herald/platform';
import { toReminderResponse } from '../reminder-response';
import { ListRemindersDto } from './list-reminders.dto';
import { ListRemindersQuery } from './list-reminders.query';

@Controller('api/v1/reminders')
export class ListRemindersController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** { items, nextCursor }: pass nextCursor back as `cursor` for the next page; null on the last. */
  @Get()
  async list(@Query() query: ListRemindersDto, @Caller() caller: Principal) {
    const owner = ownerFor(caller, query.owner) ?? undefined;
    const page = await this.queries.execute(new ListRemindersQuery({ ...query, owner }));
    const now = this.clock.now();
    return { items: page.items.map((v) => toReminderResponse(v, now)), nextCursor: page.nextCursor };
  }
}
