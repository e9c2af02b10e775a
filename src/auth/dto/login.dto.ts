import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: 'An API token of the user (shb_...).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;
}

export class ActorView {
  @ApiProperty({ type: String, nullable: true }) userId: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['board_admin', 'analyst', 'school', 'teacher', 'cli'] }) role: string;
  @ApiProperty({ type: String, nullable: true }) schoolCode: string | null;
}
