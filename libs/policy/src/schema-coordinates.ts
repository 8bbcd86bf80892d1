import { isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, type GraphQLSchema } from 'graphql';
import type { PolicyBundle } from './bundle';

/**
 * Every coordinate a classification can name, sorted: object and interface fields `Type.field`, input fields
 * `Input.field` and enum values `Enum.VALUE` (a sort value would otherwise leak the field it sorts by).
 * Introspection types are left out.
 */
export function schemaCoordinates(schema: GraphQLSchema): string[] {
  const coordinates: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type)) {
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      coordinates.push(...Object.keys(type.getFields()).map((field) => `${type.name}.${field}`));
    } else if (isEnumType(type)) {
      coordinates.push(...type.getValues().map((value) => `${type.name}.${value.name}`));
    }
  }
  return coordinates.sort();
}

/**
 * The schema's coordinates the bundle does not classify, sorted. Enforcement treats them as the strictest class;
 * the gateway and governance report them so a steward classifies them.
 */
export function unclassifiedCoordinates(bundle: Pick<PolicyBundle, 'classifications'>, schema: GraphQLSchema): string[] {
  return schemaCoordinates(schema).filter((coordinate) => !Object.hasOwn(bundle.classifications, coordinate));
}
