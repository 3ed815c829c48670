import type { PipeTransform } from '@nestjs/common';
import { BadRequestException, Injectable } from '@nestjs/common';

/** Note and todo ids are positive BIGINTs as strings: anything else is a 400, not a gRPC call. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[1-9][0-9]{0,18}$/.test(value)) throw new BadRequestException('id must be a positive integer string');
    return value;
  }
}
