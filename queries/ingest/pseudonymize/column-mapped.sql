(SELECT out FROM {{map}} WHERE raw = input.{{column}}) AS {{column}}
