{{column}} AS {{column}}
