CASE WHEN ({{when}}) THEN struct_pack(severity := CAST({{severity}} AS VARCHAR), col := CAST({{column}} AS VARCHAR),
                                      value := CAST({{value}} AS VARCHAR), rule := CAST({{rule}} AS VARCHAR),
                                      code := CAST({{code}} AS VARCHAR), params := CAST({{params}} AS VARCHAR)) END
