/**
 * The VTL subset of the CORS preflights is interpreted as API Gateway does,
 * and anything beyond it stops the local run instead of being ignored.
 */
import { MappingTemplateError, parseMappingTemplate } from '../../scripts/local/api/mapping-template';

const PREFLIGHT = [
  '#set($origin = $input.params().header.get("Origin"))',
  '#if($origin == "")',
  '  #set($origin = $input.params().header.get("origin"))',
  '#end',
  '#if($origin == "https://d111.cloudfront.net")',
  '  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
  '#end',
].join('\n');

describe('MOCK mapping templates', () => {
  it('GIVEN the hosted site origin WHEN the preflight comes from it THEN it is echoed as the allowed origin', () => {
    const template = parseMappingTemplate(PREFLIGHT);
    expect(template.render({ headers: { Origin: 'https://d111.cloudfront.net' } }).headerOverrides).toEqual({
      'Access-Control-Allow-Origin': 'https://d111.cloudfront.net',
    });
    expect(template.render({ headers: { origin: 'https://d111.cloudfront.net' } }).headerOverrides).toEqual({
      'Access-Control-Allow-Origin': 'https://d111.cloudfront.net',
    });
  });

  it('GIVEN another origin or none THEN no override (the static header stands)', () => {
    const template = parseMappingTemplate(PREFLIGHT);
    expect(template.render({ headers: { Origin: 'https://evil.example' } }).headerOverrides).toEqual({});
    expect(template.render({ headers: {} }).headerOverrides).toEqual({});
  });

  it.each([['#foreach($h in $input.params().header.keySet())\n#end'], ['$util.escapeJavaScript($input.body)'], ['#set($x = $input.json("$"))']])(
    'GIVEN VTL beyond the subset (%s) THEN refused at start',
    (source) => {
      expect(() => parseMappingTemplate(source)).toThrow(MappingTemplateError);
      expect(() => parseMappingTemplate(source)).toThrow(/not emulated by the local run/);
    },
  );
});
