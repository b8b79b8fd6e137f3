import type { CodegenConfig } from "@graphql-codegen/cli";

// The backend exports the schema to graphql/schema.graphql, and the operations the portal
// sends live in graphql/operations/. The generated files in src/gql/ are committed so a
// build needs neither the backend nor a network connection.
const config: CodegenConfig = {
  schema: "../graphql/schema.graphql",
  documents: ["../graphql/operations/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          Date: "string",
          DateTime: "string",
          Decimal: "string",
          GenericScalar: "unknown",
          JSONString: "string",
          PositiveInt: "number",
          RichText: "string",
          UUID: "string",
        },
      },
    },
  },
};

export default config;
