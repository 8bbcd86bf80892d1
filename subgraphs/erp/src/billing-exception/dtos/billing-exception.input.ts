import { Field, InputType } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';
import { DecimalField, IdField, IsoDateField } from '@concord/graphql';
import { AMOUNT } from '../../common/validators';

@InputType({ description: 'A credit note against a POSTED invoice; without subtotal it credits everything not yet credited.' })
export class CreateCreditNoteInput {
  @IdField({ description: 'A POSTED invoice.' })
  invoiceId: string;

  @DecimalField(AMOUNT, {
    nullable: true,
    description: "Net amount to credit (before tax, the invoice's tax rate is added); default: the invoice's subtotal not yet credited.",
  })
  subtotal?: string;

  @Field({ description: 'Why the invoice is credited.' })
  @IsString()
  @Length(1, 1000)
  reason: string;

  @IsoDateField({ nullable: true, description: 'ISO date on or after the invoice issue date; default today.' })
  issueDate?: string;
}

@InputType({ description: "Writes off part or all of a POSTED invoice's amount due." })
export class CreateWriteOffInput {
  @IdField({ description: 'A POSTED invoice with an amount due.' })
  invoiceId: string;

  @DecimalField(AMOUNT, { nullable: true, description: 'At most the amount due; default: the whole amount due.' })
  amount?: string;

  @Field({ description: 'Why the amount is written off.' })
  @IsString()
  @Length(1, 1000)
  reason: string;

  @IsoDateField({ nullable: true, description: 'ISO date on or after the invoice issue date; default today.' })
  date?: string;
}
