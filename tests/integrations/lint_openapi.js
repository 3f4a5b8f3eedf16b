// Validates the OpenAPI document with @apidevtools/swagger-parser (schema of
// OpenAPI 3.1 itself, every $ref resolvable).   node lint_openapi.js FILE
'use strict';
const SwaggerParser = require('@apidevtools/swagger-parser');
SwaggerParser.validate(process.argv[2])
  .then((api) => {
    const operations = Object.values(api.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    console.log(`${api.info.title} ${api.info.version}: valid OpenAPI ${api.openapi}, ` +
                `${Object.keys(api.paths).length} paths, ${operations} operations`);
  })
  .catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
