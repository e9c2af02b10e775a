import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as TransformTo } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page } from './page.js';

/** `?limit=&offset=` of a paged list (page.ts). */
export class PageQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PAGE_LIMIT_MAX,
    default: PAGE_LIMIT_DEFAULT,
    description: 'Items per page',
  })
  @IsOptional()
  @TransformTo(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Items to skip: the first page is 0' })
  @IsOptional()
  @TransformTo(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

const pageViews = new Map<Type<unknown>, Type<unknown>>();

/** The OpenAPI shape of a page of `item` (a named schema `<Item>Page`). */
export function PageView<T>(item: Type<T>): Type<Page<T>> {
  const known = pageViews.get(item);
  if (known) return known as Type<Page<T>>;
  class ItemPage {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ description: 'How many items there are in all' }) total: number;
    @ApiProperty() limit: number;
    @ApiProperty() offset: number;
  }
  Object.defineProperty(ItemPage, 'name', { value: `${item.name}Page` });
  pageViews.set(item, ItemPage);
  return ItemPage;
}
