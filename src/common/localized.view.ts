import { ApiProperty } from '@nestjs/swagger';

/** Text a person reads, in Japanese and English. */
export class LocalizedView {
  @ApiProperty() ja: string;
  @ApiProperty() en: string;
}
