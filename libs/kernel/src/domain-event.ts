/**
 * A domain event as it is stored: plain, serialisable data with an explicit
 * `type` string and a schema `version`, so that it survives minification,
 * renames and upcasting (never derived from `constructor.name`).
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly version: number;
  readonly data: TData;
}
