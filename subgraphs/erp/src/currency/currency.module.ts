import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CurrencyEntity } from './currency.entity';
import { CurrencyResolver } from './currency.resolver';
import { CurrencyService } from './currency.service';
import { FxRateEntity } from './fx-rate.entity';
import { FxRateResolver } from './fx-rate.resolver';
import { FxRateService } from './fx-rate.service';

/** Currencies and FX rates; FxRateService.convert / rateOn are what other ERP contexts use. */
@Module({
  imports: [TypeOrmModule.forFeature([CurrencyEntity, FxRateEntity])],
  providers: [CurrencyService, FxRateService, CurrencyResolver, FxRateResolver],
  exports: [CurrencyService, FxRateService],
})
export class CurrencyModule {}
