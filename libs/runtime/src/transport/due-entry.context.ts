import { BaseRpcContext } from '@nestjs/microservices';
import { DueEntry } from '@herald/scheduling';

/** What an `@EventPattern` handler of a due-entry topic can read besides the entry: `@Ctx() ctx: DueEntryContext`. */
export class DueEntryContext extends BaseRpcContext<[string, DueEntry]> {
  getTopic(): string {
    return this.args[0];
  }

  getEntry(): DueEntry {
    return this.args[1];
  }
}
