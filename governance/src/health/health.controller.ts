import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HealthService } from './health.service';

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  async check(@Res() res: HttpResponse): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).json(report);
  }
}
