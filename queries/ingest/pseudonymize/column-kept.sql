input.{{column}}
