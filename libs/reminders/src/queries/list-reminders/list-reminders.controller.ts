import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { ApiErrors, Caller, Principal, ownerFor } from '@herald/platform';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReminderPageDto } from '../reminder-response.dto';
import { toReminderResponse } from '../reminder-response';
import { ListRemindersDto } from './list-reminders.dto';
import { ListRemindersQuery } from './list-reminders.query';

@ApiTags('reminders')
@Controller('api/v1/reminders')
export class ListRemindersController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** { items, nextCursor }: pass nextCursor back as `cursor` for the next page; null on the last. */
  @Get()
  @ApiOperation({ operationId: 'reminders.list', summary: 'List reminders, a page at a time' })
  @ApiOkResponse({ type: ReminderPageDto })
  @ApiErrors(400)
  async list(@Query() query: ListRemindersDto, @Caller() caller: Principal) {
    const owner = ownerFor(caller, query.owner) ?? undefined;
    const page = await this.queries.execute(new ListRemindersQuery({ ...query, owner }));
    const now = this.clock.now();
    return { items: page.items.map((v) => toReminderResponse(v, now)), nextCursor: page.nextCursor };
  }
}
